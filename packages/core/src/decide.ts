import { checkTarget, checkUser, type EligibilityContext } from './eligibility.js';
import { emailKey } from './emails.js';
import { describeLeaveDate, isDue } from './leave-dates.js';
import { labelFor, type OptionLabels } from './option-labels.js';
import type { Resolution } from './resolve.js';
import { holdToReviewedPlan, type ReviewedPlan } from './reviewed-plan.js';
import type { Plan, PlanEntry, SmartsheetUser, Target } from './types.js';

export const DEFAULT_MAX_DEACTIVATIONS = 25;

/**
 * One decision per target, pure: the rules decidable from the target first (so such targets need no
 * lookup), then what Smartsheet said about the user. `resolve` is asked only for targets that pass those
 * first rules. A deactivation whose leave date is after `now` is `scheduled` (still resolved and checked, so
 * reviewers see whom it names and any problem at once). With a `reviewed` plan, a target resolving to another
 * user than reviewers saw is held. The safety cap is applied last, to the whole plan.
 */
export function decideEntries(
  operation: Plan['operation'],
  targets: readonly Target[],
  context: EligibilityContext,
  resolve: (target: Target) => Resolution,
  maxDeactivations: number,
  now: Date,
  reviewed?: ReviewedPlan,
): PlanEntry[] {
  const decided = targets.map((target): PlanEntry => {
    const early = checkTarget(target, context);
    if (!early.eligible) return { target, outcome: 'blocked', reason: early.reason, message: early.message };
    const entry = decideResolved(operation, target, resolve(target), context);
    return entry.outcome === 'would-deactivate' && !isDue(target.deactivateOn, now)
      ? {
          ...entry,
          outcome: 'scheduled',
          message: `Not due yet: deactivated once ${describeLeaveDate(target.deactivateOn!)} has come, not before.`,
        }
      : entry;
  });
  const entries = reviewed === undefined ? decided : holdToReviewedPlan(decided, reviewed);
  return capChanges(
    operation,
    holdIfInvalid(operation, onePerPerson(entries)),
    maxDeactivations,
    context.labels,
  );
}

/**
 * One entry per person: targets that name the same user (by email and by ID, in one file or two) become
 * the first one's entry, listing the others in `alsoNamedBy`, so plan, report, counts and cap agree.
 * A target blocked before any lookup (an email outside the plan's domains) joins the user found with
 * that email. When the targets' decisions differ, a refusal wins: nobody is changed against a rule.
 */
function onePerPerson(entries: readonly PlanEntry[]): PlanEntry[] {
  const userByEmail = new Map<string, string>();
  for (const { user } of entries) if (user) userByEmail.set(emailKey(user.email), user.id);
  const groups = new Map<string, PlanEntry[]>();
  const order: (PlanEntry | PlanEntry[])[] = [];
  for (const entry of entries) {
    const person =
      entry.user?.id ??
      (entry.target.email === undefined ? undefined : userByEmail.get(emailKey(entry.target.email)));
    const group = person === undefined ? undefined : groups.get(person);
    if (group) group.push(entry);
    else if (person === undefined) order.push(entry);
    else {
      const created = [entry];
      groups.set(person, created);
      order.push(created);
    }
  }
  return order.map((item) => {
    if (!Array.isArray(item)) return item;
    const [first, ...others] = item as [PlanEntry, ...PlanEntry[]];
    if (others.length === 0) return first;
    // The same refusal whatever the order of the targets, so the digest does not depend on it.
    const refusals = item.filter((entry) => !isChange(entry));
    const decisive = refusals.length === 0 ? first : refusals.reduce(earlierRefusal);
    const user = item.find((entry) => entry.user !== undefined)?.user;
    return {
      ...decisive,
      target: first.target,
      ...(user && { user }),
      alsoNamedBy: others.map((entry) => entry.target),
    };
  });
}

/** True for the entries that apply changes: the only ones it ever may. */
export function isChange(entry: PlanEntry): boolean {
  return entry.outcome === 'would-deactivate' || entry.outcome === 'would-reactivate';
}

function decideResolved(
  operation: Plan['operation'],
  target: Target,
  resolution: Resolution,
  context: EligibilityContext,
): PlanEntry {
  switch (resolution.kind) {
    case 'not-found':
      return {
        target,
        outcome: 'not-found',
        message:
          target.email !== undefined
            ? `No user of your Smartsheet organization has the email ${target.email}.`
            : `No Smartsheet user has the ID ${target.id}.`,
      };
    case 'id-email-mismatch':
      return { target, outcome: 'blocked', reason: 'id-email-mismatch', message: resolution.message };
    case 'listed-without-email':
      return {
        target,
        outcome: 'blocked',
        reason: 'unexpected-response',
        message: `Smartsheet lists the user with ID ${resolution.id} without an email, so the email rules (ISP domain, plan domains, protected emails) cannot be checked and nothing is changed: check the user in Admin Center.`,
      };
    case 'unlisted': {
      const user = resolution.profile;
      const rule = checkUser(user, context);
      if (!rule.eligible)
        return { target, user, outcome: 'blocked', reason: rule.reason, message: rule.message };
      if (context.allowChildOrganizations) {
        return {
          target,
          user,
          outcome: operation === 'deactivate' ? 'would-deactivate' : 'would-reactivate',
          message: `${user.email} (ID ${user.id}) is not among your organization's users: planned as a possible Enterprise Plan Manager child-organization user (child organizations are allowed). Its status cannot be checked here; Smartsheet decides, and its answer is the outcome.`,
        };
      }
      return {
        target,
        user,
        outcome: 'blocked',
        reason: 'not-member',
        message: `${user.email} (ID ${user.id}) is not among your organization's users, so its status cannot be checked; Smartsheet only lets you ${operation} members of your account.`,
      };
    }
    case 'found':
      return decideUser(operation, target, resolution.user, context);
  }
}

function decideUser(
  operation: Plan['operation'],
  target: Target,
  user: SmartsheetUser,
  context: EligibilityContext,
): PlanEntry {
  const rule = checkUser(user, context);
  if (!rule.eligible) return { target, user, outcome: 'blocked', reason: rule.reason, message: rule.message };
  const done = operation === 'deactivate' ? 'DEACTIVATED' : 'ACTIVE';
  const from = operation === 'deactivate' ? 'ACTIVE' : 'DEACTIVATED';
  if (user.status === done) {
    return { target, user, outcome: operation === 'deactivate' ? 'already-deactivated' : 'already-active' };
  }
  if (user.status === from) {
    return { target, user, outcome: operation === 'deactivate' ? 'would-deactivate' : 'would-reactivate' };
  }
  return {
    target,
    user,
    outcome: 'blocked',
    reason: 'not-active',
    message: notActiveMessage(operation, user),
  };
}

function earlierRefusal(a: PlanEntry, b: PlanEntry): PlanEntry {
  const key = (entry: PlanEntry) => `${entry.outcome} ${entry.reason ?? ''}`;
  return key(b) < key(a) ? b : a;
}

/** Why a user whose status is neither done nor changeable is left alone, and what a person can do instead. */
export function notActiveMessage(operation: Plan['operation'], user: SmartsheetUser): string {
  const from = operation === 'deactivate' ? 'ACTIVE' : 'DEACTIVATED';
  const listed = `Smartsheet lists ${user.email} with the status ${user.status ?? '(none)'}; only ${from} users can be ${operation}d`;
  if (user.status === 'PENDING') {
    return `${listed}. The invitation was never accepted, so there is no account to ${operation}: revoke the invitation in Admin Center (Users, filter Pending) instead.`;
  }
  if (user.status === 'DECLINED') {
    return `${listed}. The invitation was declined, so there is no account to ${operation}: remove the user in Admin Center (Users) instead.`;
  }
  return `${listed}.`;
}

/**
 * An entry whose ID and email name different people is an invalid file entry that only Smartsheet could
 * reveal; the contract says nothing is deactivated while any loaded file is invalid, and such an entry may
 * mean the file was put together wrongly. So every change is held until it is fixed.
 */
function holdIfInvalid(operation: Plan['operation'], entries: PlanEntry[]): PlanEntry[] {
  const invalid = entries.filter((entry) => entry.reason === 'id-email-mismatch');
  if (invalid.length === 0) return entries;
  const shown = invalid.slice(0, 3).map((entry) => `${entry.target.given} (${whereGiven(entry.target)})`);
  const more = invalid.length > shown.length ? ` and ${invalid.length - shown.length} more` : '';
  const message =
    `Nothing will be ${operation}d while an entry is invalid: ${shown.join(', ')}${more} ` +
    `${invalid.length === 1 ? 'gives an ID and an email' : 'give IDs and emails'} of different people. Fix ${invalid.length === 1 ? 'it' : 'them'} and run again.`;
  return entries.map((entry) =>
    isChange(entry) ? { ...entry, outcome: 'blocked', reason: 'plan-invalid', message } : entry,
  );
}

function whereGiven(target: Target): string {
  const { source } = target;
  if ('file' in source) return `${source.file} line ${source.line}`;
  return source.position === undefined ? source.input : `${source.input} #${source.position}`;
}

/**
 * Over the cap, nothing is changed: every change becomes `blocked`/`over-limit`, so a mistake costs nothing.
 * `apply` checks it again, for plans built or edited outside `plan()`.
 */
export function capChanges(
  operation: Plan['operation'],
  entries: readonly PlanEntry[],
  maxDeactivations: number,
  labels: OptionLabels = {},
): PlanEntry[] {
  const users = new Set(entries.filter(isChange).map((entry) => entry.user!.id));
  if (users.size <= maxDeactivations) return [...entries];
  const message =
    `This plan would ${operation} ${users.size} users, over the limit of ${maxDeactivations}, so nothing will be ${operation}d. ` +
    `If that many is intended, raise the limit (${labelFor('maxDeactivations', labels)}) to at least ${users.size}, ` +
    'or split the offboarding into smaller changes.';
  return entries.map((entry) =>
    isChange(entry) ? { ...entry, outcome: 'blocked', reason: 'over-limit', message } : entry,
  );
}

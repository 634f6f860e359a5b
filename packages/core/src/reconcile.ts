import { entryKey } from './change-set.js';
import { capChanges, isChange } from './decide.js';
import { ConfigError } from './errors.js';
import { planDigest } from './plan.js';
import { holdToReviewedPlan, type ReviewedPlan } from './reviewed-plan.js';
import type { Plan, PlanEntry } from './types.js';

/** What a reconcile run does about a user applied earlier who is active again. */
export type DriftPolicy = 'report' | 'revert' | 'ignore';

/**
 * What is known about an entry of the default branch that would deactivate someone now:
 * `approved`: a merged pull request that passes the approval rules added it, bound to the user reviewers
 * saw; `applied` says whether an authenticated record shows an earlier apply deactivated this user.
 * `missing`: no such pull request (a direct push, an unapproved merge, another user than reviewed): the
 * message says which, and the entry is never applied.
 */
export type Provenance = { kind: 'approved'; applied: boolean } | { kind: 'missing'; message: string };

export interface ReconciledPlan {
  /** What the reconcile run applies: `apply()` takes it like any plan. */
  plan: Plan;
  /**
   * Users an earlier apply deactivated who are active again, for `report` and `revert` (with `revert`
   * their entries are also changes of `plan`); empty with `ignore`.
   */
  drifted: PlanEntry[];
}

/**
 * An entry's provenance from the authenticated reviewed-plan record of the approved, merged pull request
 * that added it (found and approval-checked by the caller): the same binding as an apply on push (the entry
 * must resolve to the user reviewers saw), and `applied` from the users the record says applies
 * deactivated. No record is no provenance: `missing` says why.
 */
export function provenanceFromRecord(
  entry: PlanEntry,
  record: ReviewedPlan | undefined,
  why: string,
): Provenance {
  if (record === undefined) return { kind: 'missing', message: why };
  const [held] = holdToReviewedPlan([entry], record);
  if (held!.outcome === 'blocked') return { kind: 'missing', message: held!.message ?? why };
  // A user no longer in Smartsheet's list has no ID now: the one reviewers saw is the one applies recorded.
  const key = entryKey(entry.target);
  const id = entry.user?.id ?? (Object.hasOwn(record.users, key) ? record.users[key] : null);
  return {
    kind: 'approved',
    applied: id !== null && id !== undefined && (record.applied ?? []).includes(id),
  };
}

/**
 * The entries whose provenance a reconcile run must establish: those that would change someone now, and
 * those whose user is no longer found (an earlier apply may have done its work and the user been deleted
 * since). Everything else (scheduled, already deactivated, blocked) changes nobody, so the GitHub requests
 * a run makes grow with what it would do, not with the size of the files.
 */
export function entriesNeedingProvenance(plan: Plan): PlanEntry[] {
  return plan.entries.filter((entry) => isChange(entry) || entry.outcome === 'not-found');
}

/**
 * An entry whose user Smartsheet no longer lists, but whose deactivation an approved apply recorded: the
 * offboarding is done (users are often deleted after deactivation), so a nightly run does not fail on it
 * forever. Without such a record it stays `not-found`: a typo or a user never offboarded must be seen.
 */
function goneSinceApplied(entry: PlanEntry, provenance: Provenance): PlanEntry | undefined {
  if (provenance.kind !== 'approved' || !provenance.applied) return undefined;
  return {
    target: entry.target,
    outcome: 'already-deactivated',
    message:
      `${entry.target.given} is no longer in Smartsheet's user list; an earlier approved apply recorded its ` +
      'deactivation, so there is nothing left to do. Remove the entry through a pull request to stop checking it.',
  };
}

/**
 * A reconcile run's decisions over a plan of every entry on the default branch. The plan must be made
 * without a cap (`maxDeactivations: Infinity`): entries without provenance and drifted users left alone
 * change nobody, so the safety cap (`maxDeactivations` here) is applied to what the run would really do,
 * and over it the whole run changes nobody. An entry without provenance is `blocked`/`not-reviewed`. A
 * drifted user is deactivated again only with `revert`; with `report` and `ignore` its entry is left out of
 * the plan (nothing is done to it), and only `report` lists it in `drifted`.
 */
export function reconcilePlan(
  plan: Plan,
  provenanceOf: (entry: PlanEntry) => Provenance,
  options: { drift: DriftPolicy; maxDeactivations: number },
): ReconciledPlan {
  if (plan.operation !== 'deactivate' || plan.maxDeactivations !== Number.POSITIVE_INFINITY) {
    throw new ConfigError(
      'plan',
      plan.digest,
      'a plan of deactivations made with maxDeactivations: Infinity, so the cap applies to what the reconcile run changes',
    );
  }
  const drifted: PlanEntry[] = [];
  const entries: PlanEntry[] = [];
  for (const entry of plan.entries) {
    if (entry.outcome === 'not-found') {
      entries.push(goneSinceApplied(entry, provenanceOf(entry)) ?? entry);
      continue;
    }
    if (!isChange(entry)) {
      entries.push(entry);
      continue;
    }
    const provenance = provenanceOf(entry);
    if (provenance.kind === 'missing') {
      entries.push({
        target: entry.target,
        ...(entry.user && { user: entry.user }),
        outcome: 'blocked',
        reason: 'not-reviewed',
        message: provenance.message,
      });
    } else if (!provenance.applied) {
      // Approved and never applied (the apply was cancelled, failed, or the entry was scheduled): catch up.
      entries.push(entry);
    } else {
      if (options.drift !== 'ignore') drifted.push(entry);
      if (options.drift === 'revert') entries.push(entry);
    }
  }
  const capped = capChanges('deactivate', entries, options.maxDeactivations);
  return {
    plan: {
      ...plan,
      entries: capped,
      maxDeactivations: options.maxDeactivations,
      digest: planDigest('deactivate', capped),
    },
    drifted,
  };
}

import { createHash } from 'node:crypto';
import type { UsersApi } from './client.js';
import { DEFAULT_MAX_DEACTIVATIONS, decideEntries } from './decide.js';
import { checkTarget, eligibilityContext } from './eligibility.js';
import { SmartsheetApiError } from './errors.js';
import { resolveTargets } from './resolve.js';
import type { Plan, PlanEntry, PlanOptions, Report, SmartsheetUser, Target } from './types.js';

/**
 * Resolves every target in as few requests as it can and decides one outcome per target.
 * Throws (before any deactivation) when the caller is not a System Admin.
 */
export async function plan(
  api: UsersApi,
  targets: readonly Target[],
  options: PlanOptions = {},
): Promise<Plan> {
  const operation = options.operation ?? 'deactivate';
  const maxDeactivations = options.maxDeactivations ?? DEFAULT_MAX_DEACTIVATIONS;
  const me = await currentUser(api);
  if (me.admin !== true) throw notSystemAdmin(me, operation);
  const caller = { id: me.id, email: me.email };

  const context = eligibilityContext(options, caller);
  const lookups = targets.filter((target) => checkTarget(target, context).eligible);
  const { resolutions, withoutEmail } = await resolveTargets(api, lookups);
  const entries = decideEntries(
    operation,
    targets,
    context,
    (target) => resolutions.get(target)!,
    maxDeactivations,
    options.now ?? new Date(),
    options.reviewedPlan,
  );
  const warnings = withoutEmail.length > 0 ? [withoutEmailWarning(withoutEmail)] : [];
  return {
    operation,
    caller,
    entries,
    maxDeactivations,
    digest: planDigest(operation, entries),
    ...(warnings.length > 0 && { warnings }),
  };
}

function withoutEmailWarning(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).join(', ');
  const more = ids.length > 5 ? ` and ${ids.length - 5} more` : '';
  return (
    `Smartsheet listed ${ids.length === 1 ? 'a user' : `${ids.length} users`} without an email (ID ${shown}${more}): ` +
    'they can match no email target, so email targets were matched without them.'
  );
}

/**
 * `/users/me` exists on every Smartsheet API: a 404 there says nothing about any user (the usual
 * "check the ID or email" would mislead) but that the base URL is not an API, e.g. without `/2.0`.
 */
async function currentUser(api: UsersApi): Promise<SmartsheetUser> {
  try {
    return await api.getCurrentUser();
  } catch (error) {
    if (!(error instanceof SmartsheetApiError) || error.info.kind !== 'not-found') throw error;
    throw new SmartsheetApiError({
      ...error.info,
      kind: 'unexpected-response',
      reason: 'unexpected-response',
      message: `The base URL answered HTTP ${error.info.httpStatus ?? 404} for /users/me, which every Smartsheet API serves: it is not a Smartsheet API base URL.`,
      remediation:
        'Check the base URL: Smartsheet API base URLs end in /2.0, such as https://api.smartsheet.com/2.0 (or choose a region instead).',
    });
  }
}

function notSystemAdmin(me: SmartsheetUser, operation: Plan['operation']): SmartsheetApiError {
  return new SmartsheetApiError({
    kind: 'forbidden',
    reason: 'unauthorized',
    retryable: false,
    message: `The token's user ${me.email} (ID ${me.id}) is not a System Admin; ${operation === 'deactivate' ? 'deactivation' : 'reactivation'} needs a System Admin's token (scope ADMIN_USERS).`,
    remediation:
      'Use an access token created by a System Admin of the organization, with the ADMIN_USERS scope.',
  });
}

/** `sha256:<hex>` of the decisions, independent of input order. */
export function planDigest(operation: Plan['operation'], entries: readonly PlanEntry[]): string {
  // Only what decides: who (the user when resolved, else the target as normalised) and what happens, and
  // for a scheduled entry when, since reviewers approve the date too.
  const decisions = entries
    .map((entry) =>
      JSON.stringify([
        entry.user?.id ?? entry.target.id ?? entry.target.email ?? entry.target.given,
        entry.outcome,
        entry.reason ?? '',
        ...(entry.outcome === 'scheduled' ? [entry.target.deactivateOn] : []),
      ]),
    )
    .sort();
  const canonical = JSON.stringify({ operation, decisions });
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/**
 * The digest a fresh plan would have right after `report`'s changes, if nothing else changed in
 * Smartsheet: every change that ended done is then already done. It lets a re-run tell "the reviewed
 * plan was carried out" from "the plan drifted since review". Without a report, every change the plan
 * makes counts as done: what a re-run finds after a complete apply whose own record could not be written.
 */
export function settledPlanDigest(plan: Plan, report?: Report): string {
  const already = plan.operation === 'deactivate' ? 'already-deactivated' : 'already-active';
  const done = (result: { outcome: string }) =>
    result.outcome === already || result.outcome === 'deactivated' || result.outcome === 'reactivated';
  const doneIds = new Set(
    report
      ? report.results.filter(done).map((result) => result.id)
      : plan.entries.flatMap((entry) => (entry.user ? [entry.user.id] : [])),
  );
  const entries = plan.entries.map(
    (entry): PlanEntry =>
      (entry.outcome === 'would-deactivate' || entry.outcome === 'would-reactivate') &&
      entry.user !== undefined &&
      doneIds.has(entry.user.id)
        ? { target: entry.target, user: entry.user, outcome: already }
        : entry,
  );
  return planDigest(plan.operation, entries);
}

import type { Outcome, Plan, PlanEntry, ReasonCode, Report, ReportResult } from './types.js';

/** The outcomes each kind of report counts, in the order people read them. */
export const SUMMARY_OUTCOMES = {
  validate: [],
  plan: ['would-deactivate', 'scheduled', 'already-deactivated', 'blocked', 'not-found'],
  'plan-reactivate': ['would-reactivate', 'already-active', 'blocked', 'not-found'],
  apply: ['deactivated', 'scheduled', 'already-deactivated', 'blocked', 'not-found', 'failed'],
  reactivate: ['reactivated', 'already-active', 'blocked', 'not-found', 'failed'],
} as const satisfies Record<string, readonly Outcome[]>;

/** Outcomes that mean the target did not end (or will not end) as asked: any of them fails the run. */
export const PROBLEM_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['blocked', 'not-found', 'failed']);

/** Every outcome in the order people read them: the changes, what was already so, then the problems. */
const READING_ORDER: readonly Outcome[] = [
  'would-deactivate',
  'deactivated',
  'scheduled',
  'would-reactivate',
  'reactivated',
  'already-deactivated',
  'already-active',
  'blocked',
  'not-found',
  'failed',
];

/** The outcomes a report's summary counts, in reading order: the columns of a table of counts. */
export function summaryOutcomes(report: Pick<Report, 'summary'>): Outcome[] {
  return READING_ORDER.filter((outcome) => report.summary[outcome] !== undefined);
}

/** Human titles for reason codes: headings in summaries, annotation titles, CLI lines. */
export const REASON_TITLES: Readonly<Record<ReasonCode, string>> = {
  'isp-domain': 'Email on a common ISP domain',
  'outside-plan-domains': "Email outside the plan's domains",
  'directory-managed': 'Managed by a directory service',
  'external-user': 'Not a user of your organization',
  'not-member': 'Not a member of your account',
  protected: 'Protected user',
  self: "The token's own user",
  admin: 'An admin',
  'over-limit': 'Over the deactivation limit',
  'id-email-mismatch': 'ID and email name different people',
  'not-reviewed': 'Not the user reviewers saw',
  'plan-invalid': 'Held: another entry is invalid',
  'not-active': 'Not an active user',
  'policy-restricted': 'Restricted by an organization policy',
  refused: 'Refused by Smartsheet',
  'reactivation-window': 'Outside the reactivation window',
  unauthorized: 'Token not authorized',
  'gov-unsupported': 'Not available on Smartsheet Gov',
  interrupted: 'Interrupted',
  'rate-limited': 'Rate limited',
  'server-error': 'Smartsheet server error',
  network: 'Network error',
  'unexpected-response': 'Unexpected response',
};

export const OUTCOME_TITLES: Readonly<Record<Outcome, string>> = {
  'would-deactivate': 'Would deactivate',
  scheduled: 'Scheduled',
  deactivated: 'Deactivated',
  'already-deactivated': 'Already deactivated',
  'would-reactivate': 'Would reactivate',
  reactivated: 'Reactivated',
  'already-active': 'Already active',
  blocked: 'Blocked',
  'not-found': 'Not found',
  failed: 'Failed',
};

/** One line for a person: who, what happened and why, e.g. `jane@x.com (ID 1): Blocked, Protected user: …`. */
export function describeResult(result: ReportResult): string {
  const who =
    result.email !== undefined && result.id !== undefined
      ? `${result.email} (ID ${result.id})`
      : result.given;
  const what = [OUTCOME_TITLES[result.outcome]];
  if (result.reason !== undefined) what.push(REASON_TITLES[result.reason]);
  const details = [
    result.message,
    result.errorCode === undefined ? undefined : `error ${result.errorCode}`,
    result.refId === undefined ? undefined : `refId ${result.refId}`,
  ].filter((part) => part !== undefined && part !== '');
  return `${who}: ${what.join(', ')}${details.length > 0 ? `: ${details.join('; ')}` : ''}`;
}

/** A plan entry as a report result: what the target is, and what apply would do. */
export function resultFromEntry(entry: PlanEntry): ReportResult {
  const { target, user } = entry;
  const result: ReportResult = {
    id: user?.id ?? target.id,
    email: user?.email ?? target.email,
    given: target.given,
    outcome: entry.outcome,
    reason: entry.reason,
    message: entry.message,
    source: target.source,
    sources: entry.alsoNamedBy && [target.source, ...entry.alsoNamedBy.map((other) => other.source)],
    note: target.note,
    deactivateOn: target.deactivateOn,
  };
  return withoutUndefined(result);
}

/** Drops absent fields so the JSON report has no `"reason": undefined` noise and compares cleanly. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** The report of a plan (mode `plan`): what apply would do. */
export function planReport(plan: Plan): Report {
  const results = plan.entries.map(resultFromEntry);
  return {
    mode: 'plan',
    planDigest: plan.digest,
    summary: summarize('plan', results, plan.operation),
    results,
    ...(plan.warnings && { warnings: plan.warnings }),
  };
}

/**
 * Counts per outcome, every outcome of the mode present (zero included). A plan counts the outcomes of its
 * operation: pass `reactivate` for a plan of reactivations.
 */
export function summarize(
  mode: Report['mode'],
  results: readonly ReportResult[],
  operation: Plan['operation'] = 'deactivate',
): Report['summary'] {
  const kind = mode === 'plan' && operation === 'reactivate' ? 'plan-reactivate' : mode;
  const summary: Partial<Record<Outcome, number>> = {};
  for (const outcome of SUMMARY_OUTCOMES[kind]) summary[outcome] = 0;
  for (const result of results) summary[result.outcome] = (summary[result.outcome] ?? 0) + 1;
  return summary;
}

/**
 * 0 when every target ended done (or will be, in a plan); 1 when any is blocked, not found or failed, or
 * when files had findings. Bad usage and invalid files get 2 from the entry point, not from here.
 */
export function exitCodeFor(report: Report): 0 | 1 {
  if ((report.findings?.length ?? 0) > 0) return 1;
  return report.results.some((result) => PROBLEM_OUTCOMES.has(result.outcome)) ? 1 : 0;
}

/**
 * The people per outcome, for outputs such as the action's `deactivated` or `not-found`: IDs as strings,
 * or the target as given (an email) when no ID is known. Every outcome of the report's summary is a key.
 */
export function idsByOutcome(report: Report): Partial<Record<Outcome, string[]>> {
  const byOutcome = new Map<Outcome, Set<string>>();
  for (const outcome of Object.keys(report.summary) as Outcome[]) byOutcome.set(outcome, new Set());
  for (const result of report.results) {
    const person = result.outcome === 'not-found' ? result.given : (result.id ?? result.given);
    const people = byOutcome.get(result.outcome) ?? new Set<string>();
    byOutcome.set(result.outcome, people.add(person));
  }
  return Object.fromEntries([...byOutcome].map(([outcome, people]) => [outcome, [...people]]));
}

/** Serialises a report; IDs stay strings. */
export function reportToJson(report: Report): string {
  return JSON.stringify(report, null, 2);
}

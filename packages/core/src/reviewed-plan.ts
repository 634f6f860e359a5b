import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { entryKey } from './change-set.js';
import { isDue } from './leave-dates.js';
import type { Plan, PlanEntry, Report, UserId } from './types.js';

/**
 * What reviewers saw: for one commit of one change, the user each target resolved to when it was planned.
 * An apply may deactivate a target only as the user recorded here (`not-reviewed` otherwise), so a change
 * of whom an email belongs to between review and merge is refused rather than applied.
 */
export interface ReviewedPlan {
  /** Format version of the encoding; records of another version are not read. */
  version: 1;
  /** `owner/repo`, or whatever names the place the change was reviewed. */
  scope: string;
  /** The change that was reviewed: a pull request number. */
  change: number;
  /** The exact commit the plan was made at (the head the approvals must stand on). */
  commit: string;
  /** The plan's digest, to tell a status-only change from the reviewed plan. */
  planDigest: string;
  /** `entryKey` of each target → the user ID it resolved to, or null when it resolved to nobody. */
  users: Record<string, UserId | null>;
  /**
   * The users applies of this change left deactivated (sorted): written by the apply into the same
   * authenticated record, so a reconcile run can tell an entry never applied (catch up) from a user applied
   * and then reactivated by hand (drift), and nobody without the token can claim either.
   */
  applied?: UserId[];
}

/** The record of `plan` for one commit of one change. */
export function reviewedPlanOf(
  plan: Plan,
  binding: Pick<ReviewedPlan, 'scope' | 'change' | 'commit'>,
): ReviewedPlan {
  const users: Record<string, UserId | null> = {};
  // Every target an entry stands for: one person named twice is one entry, and each name was reviewed.
  const named = plan.entries.flatMap((entry) =>
    [entry.target, ...(entry.alsoNamedBy ?? [])].map((target) => ({ target, user: entry.user })),
  );
  for (const { target, user } of named.sort((a, b) => compare(entryKey(a.target), entryKey(b.target)))) {
    users[entryKey(target)] = user?.id ?? null;
  }
  return { version: 1, ...binding, planDigest: plan.digest, users };
}

/**
 * The record after an apply at `now`: the users the report shows deactivated among those the record binds
 * are added to `applied`, and those it shows already deactivated whose entry was due (deactivated by hand
 * before the leave date, and reactivated before it, is a deactivation still owed, not drift). Users the
 * record does not bind are not: the record vouches only for what reviewers saw.
 */
export function withApplied(record: ReviewedPlan, report: Report, now: Date): ReviewedPlan {
  const bound = new Set(Object.values(record.users).filter((id): id is UserId => id !== null));
  const applied = new Set(record.applied ?? []);
  for (const result of report.results) {
    const done =
      result.outcome === 'deactivated' ||
      (result.outcome === 'already-deactivated' && isDue(result.deactivateOn, now));
    if (done && result.id !== undefined && bound.has(result.id)) applied.add(result.id);
  }
  return applied.size === 0 ? record : { ...record, applied: [...applied].sort(compare) };
}

/**
 * The key that authenticates records: HKDF-SHA256 of the Smartsheet token, so only someone holding the
 * token (the plan run, in its protected environment) can write a record the apply believes, and the record
 * reveals nothing about the token. Rotating the token invalidates every record made with the old one.
 */
function recordKey(token: string, scope: string): Buffer {
  return Buffer.from(hkdfSync('sha256', token, 'smartsheet-offboard reviewed-plan v1', scope, 32));
}

const VERSION_PREFIX = 'v1.';

/**
 * The record as one line of URL-safe text, `v1.<payload>.<mac>`: the payload is the record's JSON in
 * base64url, the MAC an HMAC-SHA256 over the version and the payload with the token-derived key.
 */
export function encodeReviewedPlan(record: ReviewedPlan, token: string): string {
  const payload = Buffer.from(JSON.stringify(record), 'utf8').toString('base64url');
  return `${VERSION_PREFIX}${payload}.${mac(`${VERSION_PREFIX}${payload}`, record.scope, token)}`;
}

/** Why an encoded record was not believed. */
export type ReviewedPlanProblem =
  /** Not a record this version writes (truncated, edited, another format). */
  | 'malformed'
  /** Its MAC does not verify: made with another token (rotated), or forged or altered. */
  | 'unauthenticated'
  /** Authentic, but for another scope, change or commit. */
  | 'other-commit';

/**
 * Reads a record written by `encodeReviewedPlan` with the same token, for the expected scope, change and
 * commit; anything else is a problem, never a record.
 */
export function decodeReviewedPlan(
  encoded: string,
  token: string,
  expected: Pick<ReviewedPlan, 'scope' | 'change' | 'commit'>,
): { record: ReviewedPlan } | { problem: ReviewedPlanProblem } {
  const match = /^v1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(encoded);
  if (!match) return { problem: 'malformed' };
  const [, payload, given] = match as unknown as [string, string, string];
  const wanted = Buffer.from(mac(`${VERSION_PREFIX}${payload}`, expected.scope, token), 'base64url');
  if (!timingSafeEqual(wanted, Buffer.from(given, 'base64url'))) return { problem: 'unauthenticated' };
  let record: unknown;
  try {
    record = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { problem: 'malformed' };
  }
  if (!isReviewedPlan(record)) return { problem: 'malformed' };
  if (
    record.scope !== expected.scope ||
    record.change !== expected.change ||
    record.commit !== expected.commit
  ) {
    return { problem: 'other-commit' };
  }
  return { record };
}

function mac(text: string, scope: string, token: string): string {
  return createHmac('sha256', recordKey(token, scope)).update(text).digest('base64url');
}

function isReviewedPlan(value: unknown): value is ReviewedPlan {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record['version'] === 1 &&
    typeof record['scope'] === 'string' &&
    typeof record['change'] === 'number' &&
    typeof record['commit'] === 'string' &&
    typeof record['planDigest'] === 'string' &&
    typeof record['users'] === 'object' &&
    record['users'] !== null &&
    Object.values(record['users']).every(
      (id) => id === null || (typeof id === 'string' && /^\d+$/.test(id)),
    ) &&
    (record['applied'] === undefined ||
      (Array.isArray(record['applied']) &&
        record['applied'].every((id) => typeof id === 'string' && /^\d+$/.test(id))))
  );
}

/**
 * Holds every entry to the users reviewers saw: an entry that resolved to a user other than the recorded
 * one (or that the record does not cover) is `blocked`/`not-reviewed`. An entry that resolved to nobody, or
 * that is blocked already, is left as it is: it changes no one. A status-only change (reviewed as to
 * deactivate, now already deactivated) is the same user, so it stands.
 */
export function holdToReviewedPlan(entries: readonly PlanEntry[], record: ReviewedPlan): PlanEntry[] {
  return entries.map((entry): PlanEntry => {
    if (entry.user === undefined || entry.outcome === 'blocked') return entry;
    const key = entryKey(entry.target);
    const reviewed = Object.hasOwn(record.users, key) ? record.users[key] : undefined;
    if (reviewed === entry.user.id) return entry;
    const message =
      reviewed === undefined
        ? `${entry.target.given} was not in the plan reviewers saw for commit ${record.commit.slice(0, 7)}; nothing is done to ${entry.user.email} (ID ${entry.user.id}).`
        : `${entry.target.given} now resolves to ${entry.user.email} (ID ${entry.user.id}), but the plan reviewers saw for commit ${record.commit.slice(0, 7)} showed ${reviewed === null ? 'no user' : `user ID ${reviewed}`}; nothing is done. Push a commit so the plan runs again and reviewers approve what it shows.`;
    return { target: entry.target, user: entry.user, outcome: 'blocked', reason: 'not-reviewed', message };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

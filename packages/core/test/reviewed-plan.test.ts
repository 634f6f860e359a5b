import { deactivationRequests } from '@smartsheet-offboard/testkit/journal';
import { beforeEach, describe, expect, it } from 'vitest';
import { offboard } from '../src/offboard.js';
import {
  decodeReviewedPlan,
  encodeReviewedPlan,
  holdToReviewedPlan,
  type ReviewedPlan,
  reviewedPlanOf,
  withApplied,
} from '../src/reviewed-plan.js';
import type { PlanEntry } from '../src/types.js';
import { ADMIN_TOKEN, connection, everyCaseSeed, PEOPLE, useSimulator } from './support/org.js';

const simulator = await useSimulator(everyCaseSeed());
beforeEach(() => simulator.reset());

const COMMIT = 'a'.repeat(40);
const binding = { scope: 'acme/people', change: 7, commit: COMMIT };
const record: ReviewedPlan = {
  version: 1,
  ...binding,
  planDigest: `sha256:${'0'.repeat(64)}`,
  users: { [`email:${PEOPLE.jane.email}`]: PEOPLE.jane.id, 'email:nobody@example.com': null },
};

describe('encodeReviewedPlan / decodeReviewedPlan', () => {
  it('reads back what it wrote, with the same token, scope, change and commit', () => {
    const encoded = encodeReviewedPlan(record, ADMIN_TOKEN);
    expect(encoded).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encoded).not.toContain(ADMIN_TOKEN);
    expect(decodeReviewedPlan(encoded, ADMIN_TOKEN, binding)).toEqual({ record });
  });

  it('a record altered in any way, or made with another token (rotated), is not believed', () => {
    const encoded = encodeReviewedPlan(record, ADMIN_TOKEN);
    const [version, payload, mac] = encoded.split('.') as [string, string, string];
    const altered = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ReviewedPlan;
    altered.users[`email:${PEOPLE.jane.email}`] = PEOPLE.bob.id;
    const alteredPayload = Buffer.from(JSON.stringify(altered)).toString('base64url');
    expect(decodeReviewedPlan(`${version}.${alteredPayload}.${mac}`, ADMIN_TOKEN, binding)).toEqual({
      problem: 'unauthenticated',
    });
    const flipped = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    expect(decodeReviewedPlan(`${version}.${payload}.${flipped}`, ADMIN_TOKEN, binding)).toEqual({
      problem: 'unauthenticated',
    });
    expect(decodeReviewedPlan(encoded, `${ADMIN_TOKEN}-rotated`, binding)).toEqual({
      problem: 'unauthenticated',
    });
    // The key is derived per repository: a record copied from another repository does not verify here.
    expect(decodeReviewedPlan(encoded, ADMIN_TOKEN, { ...binding, scope: 'acme/other' })).toEqual({
      problem: 'unauthenticated',
    });
  });

  it('an authentic record of another commit or pull request does not vouch for this one', () => {
    const encoded = encodeReviewedPlan(record, ADMIN_TOKEN);
    expect(decodeReviewedPlan(encoded, ADMIN_TOKEN, { ...binding, commit: 'b'.repeat(40) })).toEqual({
      problem: 'other-commit',
    });
    expect(decodeReviewedPlan(encoded, ADMIN_TOKEN, { ...binding, change: 8 })).toEqual({
      problem: 'other-commit',
    });
  });

  it('rejects text that is not a record', () => {
    for (const text of ['', 'v1.', 'v1..', 'v2.abc.def', `v1.@@@.${'A'.repeat(43)}`, 'v1.abc.short']) {
      expect(decodeReviewedPlan(text, ADMIN_TOKEN, binding)).toEqual({ problem: 'malformed' });
    }
    // Authentic but not a record's shape (a number where an ID string belongs).
    const wrongShape = encodeReviewedPlan(
      { ...record, users: { 'id:1': 1 as unknown as string } },
      ADMIN_TOKEN,
    );
    expect(decodeReviewedPlan(wrongShape, ADMIN_TOKEN, binding)).toEqual({ problem: 'malformed' });
  });
});

describe('holdToReviewedPlan', () => {
  const entry = (
    email: string,
    id: string,
    outcome: PlanEntry['outcome'] = 'would-deactivate',
  ): PlanEntry => ({
    target: { email, given: email, source: { file: 'offboarding/x.yaml', line: 2 } },
    user: { id, email, status: 'ACTIVE' },
    outcome,
  });

  it('keeps the reviewed user, also when only its status changed', () => {
    const kept = holdToReviewedPlan(
      [
        entry(PEOPLE.jane.email, PEOPLE.jane.id),
        entry(PEOPLE.jane.email, PEOPLE.jane.id, 'already-deactivated'),
      ],
      record,
    );
    expect(kept.map((item) => item.outcome)).toEqual(['would-deactivate', 'already-deactivated']);
  });

  it('blocks another user than reviewed, a user where reviewers saw nobody, and entries not reviewed', () => {
    const held = holdToReviewedPlan(
      [
        entry(PEOPLE.jane.email, PEOPLE.bob.id),
        entry('nobody@example.com', PEOPLE.big.id),
        entry(PEOPLE.isp.email, PEOPLE.isp.id),
      ],
      record,
    );
    expect(held.map((item) => [item.outcome, item.reason])).toEqual([
      ['blocked', 'not-reviewed'],
      ['blocked', 'not-reviewed'],
      ['blocked', 'not-reviewed'],
    ]);
    expect(held[0]?.message).toContain(`showed user ID ${PEOPLE.jane.id}`);
    expect(held[1]?.message).toContain('showed no user');
    expect(held[2]?.message).toContain('was not in the plan reviewers saw');
  });

  it('leaves entries that change no one as they are', () => {
    const unresolved: PlanEntry = {
      target: { email: 'x@example.com', given: 'x@example.com', source: { input: 'emails' } },
      outcome: 'not-found',
    };
    const blocked: PlanEntry = {
      ...entry(PEOPLE.isp.email, PEOPLE.isp.id),
      outcome: 'blocked',
      reason: 'isp-domain',
    };
    expect(holdToReviewedPlan([unresolved, blocked], record)).toEqual([unresolved, blocked]);
  });
});

describe('offboard() with a reviewed plan', () => {
  const file = {
    path: 'offboarding/x.yaml',
    content: `users:\n  - ${PEOPLE.jane.email}\n  - id: ${PEOPLE.big.id}\n`,
  };

  it('applies exactly the reviewed users, and holds a target that now resolves to someone else', async () => {
    const planned = await offboard({ mode: 'plan', files: [file], connection: connection(simulator) });
    const reviewed = reviewedPlanOf(planned.plan!, binding);
    expect(reviewed.users).toEqual({
      [`email:${PEOPLE.jane.email}`]: PEOPLE.jane.id,
      [`id:${PEOPLE.big.id}`]: PEOPLE.big.id,
    });
    // What an email belonged to at review is not what it belongs to now (as if reassigned to a new hire).
    const moved: ReviewedPlan = {
      ...reviewed,
      users: { ...reviewed.users, [`email:${PEOPLE.jane.email}`]: PEOPLE.bob.id },
    };
    const result = await offboard({
      mode: 'apply',
      files: [file],
      connection: connection(simulator),
      planOptions: { reviewedPlan: moved },
    });
    expect(result.report.results.map((item) => [item.given, item.outcome, item.reason])).toEqual([
      [PEOPLE.jane.email, 'blocked', 'not-reviewed'],
      [PEOPLE.big.id, 'deactivated', undefined],
    ]);
    expect(deactivationRequests(simulator.journal())).toEqual([PEOPLE.big.id]);
  });
});

describe('offboard() with a reviewed plan and one person named twice', () => {
  it('records both names of the person, so the apply deactivates them once', async () => {
    const files = [
      { path: 'offboarding/a.txt', content: `${PEOPLE.jane.email}\n` },
      { path: 'offboarding/b.txt', content: `${PEOPLE.jane.id}\n` },
    ];
    const planned = await offboard({ mode: 'plan', files, connection: connection(simulator) });
    expect(planned.plan!.entries).toHaveLength(1);
    const reviewed = reviewedPlanOf(planned.plan!, binding);
    expect(reviewed.users).toEqual({
      [`email:${PEOPLE.jane.email}`]: PEOPLE.jane.id,
      [`id:${PEOPLE.jane.id}`]: PEOPLE.jane.id,
    });
    simulator.clearJournal();
    const result = await offboard({
      mode: 'apply',
      files,
      connection: connection(simulator),
      planOptions: { reviewedPlan: reviewed },
    });
    expect(result.report.results.map((item) => [item.outcome, item.sources?.length])).toEqual([
      ['deactivated', 2],
    ]);
    expect(deactivationRequests(simulator.journal())).toEqual([PEOPLE.jane.id]);
  });
});

describe('offboard() with the files before the change', () => {
  it('targets only the entries added since, and says which were kept', async () => {
    const path = 'offboarding/2026-11.yaml';
    const result = await offboard({
      mode: 'apply',
      baseFiles: [{ path, content: `users:\n  - ${PEOPLE.bob.email}\n` }],
      files: [
        {
          path,
          content: `users:\n  - email: ${PEOPLE.bob.email}\n    reason: re-worded\n  - ${PEOPLE.jane.email}\n`,
        },
      ],
      connection: connection(simulator),
    });
    expect(result.targets.map((target) => target.given)).toEqual([PEOPLE.jane.email]);
    expect(result.kept?.map((target) => target.given)).toEqual([PEOPLE.bob.email]);
    expect(deactivationRequests(simulator.journal())).toEqual([PEOPLE.jane.id]);
  });

  it('still refuses when a kept entry is invalid', async () => {
    const path = 'offboarding/2026-11.yaml';
    const result = await offboard({
      mode: 'apply',
      baseFiles: [{ path, content: 'users:\n  - id: 12x\n' }],
      files: [{ path, content: `users:\n  - id: 12x\n  - ${PEOPLE.jane.email}\n` }],
      connection: connection(simulator),
    });
    expect(result.stoppedBecause).toBe('invalid');
    expect(deactivationRequests(simulator.journal())).toEqual([]);
  });
});

describe('withApplied: the record of applies, in the same authenticated record', () => {
  const NOW = new Date('2026-12-01T00:00:00Z');
  const report = (
    results: {
      id: string;
      outcome: 'deactivated' | 'already-deactivated' | 'failed';
      deactivateOn?: string;
    }[],
  ) => ({
    mode: 'apply' as const,
    summary: {},
    results: results.map((result) => ({ ...result, given: result.id })),
  });

  it('adds the bound users an apply left deactivated, and survives encoding', () => {
    const applied = withApplied(
      record,
      report([
        { id: PEOPLE.jane.id, outcome: 'deactivated' },
        // Not bound by the record: an apply of this change never vouches for it.
        { id: PEOPLE.bob.id, outcome: 'deactivated' },
      ]),
      NOW,
    );
    expect(applied.applied).toEqual([PEOPLE.jane.id]);
    expect(record.applied).toBeUndefined();
    expect(decodeReviewedPlan(encodeReviewedPlan(applied, ADMIN_TOKEN), ADMIN_TOKEN, binding)).toEqual({
      record: applied,
    });
  });

  it('keeps earlier applies, counts already-deactivated, and not failures', () => {
    const first = withApplied(record, report([{ id: PEOPLE.jane.id, outcome: 'already-deactivated' }]), NOW);
    expect(first.applied).toEqual([PEOPLE.jane.id]);
    expect(withApplied(first, report([{ id: PEOPLE.jane.id, outcome: 'failed' }]), NOW).applied).toEqual([
      PEOPLE.jane.id,
    ]);
    expect(withApplied(record, report([{ id: PEOPLE.jane.id, outcome: 'failed' }]), NOW)).toBe(record);
  });

  it('does not count a user found already deactivated before the leave date of their entry', () => {
    // Deactivated by hand early: reactivated before the date, the entry is still owed, not drift.
    const early = report([
      { id: PEOPLE.jane.id, outcome: 'already-deactivated', deactivateOn: '2026-12-20' },
    ]);
    expect(withApplied(record, early, NOW)).toBe(record);
    expect(withApplied(record, early, new Date('2026-12-20T00:00:00Z')).applied).toEqual([PEOPLE.jane.id]);
  });

  it('an applied list that is not decimal IDs makes the record malformed', () => {
    const encoded = encodeReviewedPlan(
      { ...record, applied: [4583173393803140 as unknown as string] },
      ADMIN_TOKEN,
    );
    expect(decodeReviewedPlan(encoded, ADMIN_TOKEN, binding)).toEqual({ problem: 'malformed' });
  });
});

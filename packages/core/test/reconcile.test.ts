import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { apply } from '../src/apply.js';
import { isChange } from '../src/decide.js';
import { ConfigError } from '../src/errors.js';
import { offboard } from '../src/offboard.js';
import { plan, planDigest } from '../src/plan.js';
import {
  type DriftPolicy,
  entriesNeedingProvenance,
  type Provenance,
  provenanceFromRecord,
  reconcilePlan,
} from '../src/reconcile.js';
import type { ReviewedPlan } from '../src/reviewed-plan.js';
import type { Plan, PlanEntry } from '../src/types.js';
import { byEmail, byId, connect, connection, everyCaseSeed, PEOPLE, useSimulator } from './support/org.js';

const simulator = await useSimulator(everyCaseSeed());
beforeEach(() => simulator.reset());

const CALLER = { id: '1000000000000001', email: 'it.admin@example.com' };
const OUTCOMES: PlanEntry['outcome'][] = [
  'would-deactivate',
  'scheduled',
  'already-deactivated',
  'blocked',
  'not-found',
];

/** A plan as plan() makes it for a reconcile run: no cap, a digest over its entries. */
function uncapped(entries: PlanEntry[]): Plan {
  return {
    operation: 'deactivate',
    caller: CALLER,
    entries,
    maxDeactivations: Number.POSITIVE_INFINITY,
    digest: planDigest('deactivate', entries),
  };
}

const scenarioArb = fc.record({
  entries: fc.array(
    fc.record({
      outcome: fc.constantFrom(...OUTCOMES),
      provenance: fc.oneof(
        fc.record({ kind: fc.constant('approved' as const), applied: fc.boolean() }),
        fc.constant({ kind: 'missing' as const, message: 'Added by a direct push: nobody approved it.' }),
      ),
    }),
    { maxLength: 30 },
  ),
  drift: fc.constantFrom<DriftPolicy>('report', 'revert', 'ignore'),
  max: fc.integer({ min: 0, max: 30 }),
});

describe('reconcilePlan', () => {
  it('applies only approved entries; drifted users only with revert; the cap over what it would change', () => {
    fc.assert(
      fc.property(scenarioArb, ({ entries: picks, drift, max }) => {
        const provenance = new Map<string, Provenance>();
        const entries = picks.map(({ outcome }, index): PlanEntry => {
          const id = String(3000000000000000n + BigInt(index));
          return {
            target: { id, given: id, source: { file: 'offboarding/a.yaml', line: index + 2 } },
            ...(outcome !== 'not-found' && {
              user: { id, email: `p${index}@example.com`, status: 'ACTIVE' as const },
            }),
            outcome,
            ...(outcome === 'blocked' && { reason: 'admin' as const }),
          };
        });
        picks.forEach((pick, index) => {
          provenance.set(entries[index]!.target.id!, pick.provenance);
        });
        const asked: string[] = [];
        const { plan: reconciled, drifted } = reconcilePlan(
          uncapped(entries),
          (entry) => {
            asked.push(entry.target.id!);
            return provenance.get(entry.target.id!)!;
          },
          { drift, maxDeactivations: max },
        );
        // Provenance is asked only for what would change someone, and for users no longer found.
        expect(asked).toEqual(
          entries
            .filter((entry) => isChange(entry) || entry.outcome === 'not-found')
            .map((entry) => entry.target.id!),
        );
        // A user no longer found whose deactivation an approved apply recorded is done; otherwise still not found.
        entries.forEach((entry, index) => {
          if (entry.outcome !== 'not-found') return;
          const known = provenance.get(entry.target.id!)!;
          const done = known.kind === 'approved' && known.applied;
          expect(reconciled.entries.find((e) => e.target === entry.target)?.outcome, String(index)).toBe(
            done ? 'already-deactivated' : 'not-found',
          );
        });
        const wanted = entries.filter((entry) => {
          const known = provenance.get(entry.target.id!)!;
          return isChange(entry) && known.kind === 'approved' && (!known.applied || drift === 'revert');
        });
        const changes = reconciled.entries.filter(isChange);
        expect(changes.map((entry) => entry.target.id!)).toEqual(
          wanted.length <= max ? wanted.map((entry) => entry.target.id!) : [],
        );
        if (wanted.length > max) {
          expect(reconciled.entries.filter((entry) => entry.reason === 'over-limit')).toHaveLength(
            wanted.length,
          );
        }
        for (const entry of reconciled.entries) {
          const known = provenance.get(entry.target.id!)!;
          if (
            known.kind === 'missing' &&
            entries.find((e) => e.target.id! === entry.target.id!)!.outcome === 'would-deactivate'
          ) {
            expect([entry.outcome, entry.reason, entry.message]).toEqual([
              'blocked',
              'not-reviewed',
              known.message,
            ]);
          }
        }
        const driftedIds = entries
          .filter((entry) => {
            const known = provenance.get(entry.target.id!)!;
            return isChange(entry) && known.kind === 'approved' && known.applied;
          })
          .map((entry) => entry.target.id!);
        expect(drifted.map((entry) => entry.target.id!)).toEqual(drift === 'ignore' ? [] : driftedIds);
        // With report and ignore, nothing at all is done to a drifted user.
        if (drift !== 'revert') {
          expect(reconciled.entries.some((entry) => driftedIds.includes(entry.target.id!))).toBe(false);
        }
        expect(reconciled.digest).toBe(planDigest('deactivate', reconciled.entries));
        expect(reconciled.maxDeactivations).toBe(max);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a plan made with a cap, which may already hold changes back', () => {
    expect(() =>
      reconcilePlan({ ...uncapped([]), maxDeactivations: 25 }, () => ({ kind: 'missing', message: '' }), {
        drift: 'report',
        maxDeactivations: 25,
      }),
    ).toThrow(ConfigError);
  });
});

describe('reconcile over HTTP against the simulator', () => {
  it('catches up an approved entry, refuses one without provenance, leaves a removed one alone', async () => {
    const api = connect(simulator);
    // Bob was applied once and his entry later removed by a merged pull request: he is no target at all,
    // so whatever his status, nothing is done to him.
    const caughtUp = byEmail(PEOPLE.jane.email, 2);
    const directPush = byId(PEOPLE.big.id, 3);
    const planned = await plan(api, [caughtUp, directPush, byEmail(PEOPLE.gone.email, 5)], {
      maxDeactivations: Number.POSITIVE_INFINITY,
    });
    expect(entriesNeedingProvenance(planned).map((entry) => entry.target.given)).toEqual([
      PEOPLE.jane.email,
      PEOPLE.big.id,
    ]);
    const provenance = (entry: PlanEntry): Provenance =>
      entry.target === directPush
        ? { kind: 'missing', message: `${PEOPLE.big.id} was added by a direct push; nobody approved it.` }
        : { kind: 'approved', applied: false };
    const { plan: reconciled, drifted } = reconcilePlan(planned, provenance, {
      drift: 'revert',
      maxDeactivations: 25,
    });
    expect(drifted).toEqual([]);
    simulator.clearJournal();
    const report = await apply(api, reconciled);
    expect(
      simulator
        .journal()
        .filter((entry) => entry.endpoint === 'deactivateUser')
        .map((entry) => entry.userId),
    ).toEqual([PEOPLE.jane.id]);
    expect(simulator.user(PEOPLE.big.id)?.status).toBe('ACTIVE');
    expect(report.results.find((result) => result.id === PEOPLE.big.id)).toMatchObject({
      outcome: 'blocked',
      reason: 'not-reviewed',
    });
    expect(simulator.user(PEOPLE.bob.id)?.status).toBe('ACTIVE');
  });

  it('reverts a drifted user with revert, and only reports it with report', async () => {
    const api = connect(simulator);
    const targets = [byEmail(PEOPLE.jane.email, 2)];
    const applied: Provenance = { kind: 'approved', applied: true };
    const reported = reconcilePlan(
      await plan(api, targets, { maxDeactivations: Number.POSITIVE_INFINITY }),
      () => applied,
      { drift: 'report', maxDeactivations: 25 },
    );
    expect(reported.drifted.map((entry) => entry.user?.id)).toEqual([PEOPLE.jane.id]);
    await apply(api, reported.plan);
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('ACTIVE');

    const reverted = reconcilePlan(
      await plan(api, targets, { maxDeactivations: Number.POSITIVE_INFINITY }),
      () => applied,
      { drift: 'revert', maxDeactivations: 25 },
    );
    const report = await apply(api, reverted.plan);
    expect(report.results.map((result) => result.outcome)).toEqual(['deactivated']);
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('DEACTIVATED');
  });
});

describe('provenanceFromRecord', () => {
  const entry: PlanEntry = {
    target: {
      email: 'jane@example.com',
      given: 'jane@example.com',
      source: { file: 'offboarding/a.yaml', line: 2 },
    },
    user: { id: '21', email: 'jane@example.com', status: 'ACTIVE' },
    outcome: 'would-deactivate',
  };
  const record: ReviewedPlan = {
    version: 1,
    scope: 'acme/people',
    change: 7,
    commit: 'a'.repeat(40),
    planDigest: `sha256:${'0'.repeat(64)}`,
    users: { 'email:jane@example.com': '21' },
  };

  it('approved when the entry resolves to the user reviewers saw; applied when the record says so', () => {
    expect(provenanceFromRecord(entry, record, 'unused')).toEqual({ kind: 'approved', applied: false });
    expect(provenanceFromRecord(entry, { ...record, applied: ['21'] }, 'unused')).toEqual({
      kind: 'approved',
      applied: true,
    });
  });

  it('a user no longer found counts as applied by the ID reviewers saw, when the record says so', () => {
    const gone: PlanEntry = { target: entry.target, outcome: 'not-found' };
    expect(provenanceFromRecord(gone, { ...record, applied: ['21'] }, 'unused')).toEqual({
      kind: 'approved',
      applied: true,
    });
    expect(provenanceFromRecord(gone, record, 'unused')).toEqual({ kind: 'approved', applied: false });
    expect(provenanceFromRecord(gone, { ...record, users: {}, applied: ['21'] }, 'unused')).toEqual({
      kind: 'approved',
      applied: false,
    });
  });

  it('missing when the entry now names another user, is not in the record, or there is no record', () => {
    const other = provenanceFromRecord(
      entry,
      { ...record, users: { 'email:jane@example.com': '22' } },
      'unused',
    );
    expect(other).toEqual({ kind: 'missing', message: expect.stringContaining('showed user ID 22') });
    const uncovered = provenanceFromRecord(entry, { ...record, users: {} }, 'unused');
    expect(uncovered).toEqual({
      kind: 'missing',
      message: expect.stringContaining('was not in the plan reviewers saw'),
    });
    expect(provenanceFromRecord(entry, undefined, 'Added by a direct push.')).toEqual({
      kind: 'missing',
      message: 'Added by a direct push.',
    });
  });
});

describe('offboard with reconcile, over HTTP against the simulator', () => {
  const files = [
    {
      path: 'offboarding/2026-11.yaml',
      content: `users:\n  - ${PEOPLE.jane.email}\n  - ${PEOPLE.big.email}\n  - email: ${PEOPLE.bob.email}\n    deactivate-on: 2027-01-01\n`,
    },
  ];
  const now = new Date('2026-12-02T12:00:00Z');
  const deactivated = () =>
    simulator
      .journal()
      .filter((entry) => entry.endpoint === 'deactivateUser' && entry.status === 200)
      .map((entry) => entry.userId);

  it('asks provenance once, for the entries that would change someone, and applies only approved ones', async () => {
    const asked: string[][] = [];
    const result = await offboard({
      mode: 'apply',
      files,
      connection: connection(simulator),
      planOptions: { now, maxDeactivations: 25 },
      reconcile: {
        drift: 'report',
        provenance: async (entries) => {
          asked.push(entries.map((entry) => entry.target.given));
          return (entry) =>
            entry.target.given === PEOPLE.big.email
              ? { kind: 'missing', message: 'Added by a direct push: nobody approved it.' }
              : { kind: 'approved', applied: false };
        },
      },
    });
    // Bob is scheduled (not due): no lookup for him, nothing done.
    expect(asked).toEqual([[PEOPLE.jane.email, PEOPLE.big.email]]);
    expect(result.report.results.map((r) => [r.given, r.outcome, r.reason])).toEqual([
      [PEOPLE.jane.email, 'deactivated', undefined],
      [PEOPLE.big.email, 'blocked', 'not-reviewed'],
      [PEOPLE.bob.email, 'scheduled', undefined],
    ]);
    expect(deactivated()).toEqual([PEOPLE.jane.id]);
    expect(result.report.drifted).toEqual([]);
  });

  it('lists a drifted user in the report with report, and refuses as a whole over the cap', async () => {
    const drifted = await offboard({
      mode: 'plan',
      files,
      connection: connection(simulator),
      planOptions: { now },
      reconcile: { drift: 'report', provenance: async () => () => ({ kind: 'approved', applied: true }) },
    });
    expect(drifted.report.drifted?.map((user) => user.id)).toEqual([PEOPLE.jane.id, PEOPLE.big.id]);
    expect(drifted.report.drifted?.[0]).toMatchObject({
      email: PEOPLE.jane.email,
      source: { file: 'offboarding/2026-11.yaml', line: 2 },
    });
    expect(drifted.report.results.map((r) => r.outcome)).toEqual(['scheduled']);

    const capped = await offboard({
      mode: 'apply',
      files,
      connection: connection(simulator),
      planOptions: { now, maxDeactivations: 1 },
      reconcile: { drift: 'revert', provenance: async () => () => ({ kind: 'approved', applied: true }) },
    });
    expect(capped.stoppedBecause).toBe('over-limit');
    expect(deactivated()).toEqual([]);
  });

  it('a user deleted after a recorded apply is done; one never applied stays not found', async () => {
    const gone = [{ path: 'offboarding/old.txt', content: 'left.long.ago@example.com\ntypo@example.com\n' }];
    const result = await offboard({
      mode: 'apply',
      files: gone,
      connection: connection(simulator),
      planOptions: { now },
      reconcile: {
        drift: 'report',
        provenance: async (entries) => {
          expect(entries.map((entry) => entry.target.given)).toEqual([
            'left.long.ago@example.com',
            'typo@example.com',
          ]);
          return (entry) => ({
            kind: 'approved',
            applied: entry.target.given === 'left.long.ago@example.com',
          });
        },
      },
    });
    expect(result.report.results.map((r) => [r.given, r.outcome])).toEqual([
      ['left.long.ago@example.com', 'already-deactivated'],
      ['typo@example.com', 'not-found'],
    ]);
    expect(deactivated()).toEqual([]);
  });
});

import { startSimulator } from '@smartsheet-offboard/simulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../src/apply.js';
import { createClient } from '../src/client.js';
import { decideEntries } from '../src/decide.js';
import { eligibilityContext } from '../src/eligibility.js';
import { plan, planDigest } from '../src/plan.js';
import { Directory, matchTarget } from '../src/resolve.js';
import type { SmartsheetUser, Target } from '../src/types.js';
import { atOffset } from './support/dates.js';
import { ADMIN_TOKEN } from './support/org.js';

const CALLER: SmartsheetUser = { id: '1000000000000001', email: 'it.admin@example.com', status: 'ACTIVE' };
const DAY = 86_400_000;

/**
 * Active users each named once by ID, some with a leave date near `now` (a date-time in any offset, a bare
 * date, or none), and a cap. The test knows each date's moment independently of the code under test.
 */
const scenarioArb = fc
  .record({
    now: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
    people: fc.array(
      fc.record({
        status: fc.constantFrom('ACTIVE', 'ACTIVE', 'ACTIVE', 'DEACTIVATED'),
        leave: fc.oneof(
          fc.constant(undefined),
          fc.record({
            kind: fc.constant('date-time' as const),
            delta: fc.integer({ min: -5 * DAY, max: 5 * DAY }),
            offset: fc.integer({ min: -14 * 60, max: 14 * 60 }),
          }),
          fc.record({
            kind: fc.constant('date' as const),
            delta: fc.integer({ min: -5 * DAY, max: 5 * DAY }),
          }),
        ),
      }),
      { minLength: 1, maxLength: 20 },
    ),
    max: fc.integer({ min: 0, max: 20 }),
  })
  .map(({ now, people, max }) => {
    const users: SmartsheetUser[] = [CALLER];
    const targets: Target[] = [];
    const dueAt = new Map<string, number | undefined>();
    people.forEach((person, index) => {
      const id = String(2000000000000000n + BigInt(index));
      users.push({ id, email: `person${index}@example.com`, status: person.status });
      const target: Target = { id, given: id, source: { file: 'offboarding/leavers.yaml', line: index + 2 } };
      const { leave } = person;
      if (leave?.kind === 'date-time') {
        // Whole seconds: the written form keeps no milliseconds.
        const at = now + leave.delta - ((now + leave.delta) % 1000);
        target.deactivateOn = atOffset(at, leave.offset);
        dueAt.set(id, at);
      } else if (leave?.kind === 'date') {
        const day = new Date(now + leave.delta).toISOString().slice(0, 10);
        target.deactivateOn = day;
        dueAt.set(id, Date.parse(`${day}T00:00:00Z`));
      }
      targets.push(target);
    });
    return { now: new Date(now), users, targets, dueAt, max };
  });

function isDueByTest(scenario: { dueAt: Map<string, number | undefined>; now: Date }, id: string): boolean {
  const at = scenario.dueAt.get(id);
  return at === undefined || at <= scenario.now.getTime();
}

describe('planner with leave dates', () => {
  it('never plans a deactivation before its date; what is not due is scheduled; the cap counts only what is due', () => {
    let scheduledSeen = 0;
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const directory = new Directory(scenario.users);
        const entries = decideEntries(
          'deactivate',
          scenario.targets,
          eligibilityContext({}, CALLER),
          (target) => matchTarget(target, directory, new Map())!,
          scenario.max,
          scenario.now,
        );
        const dueActive = entries.filter(
          (entry) => entry.user!.status === 'ACTIVE' && isDueByTest(scenario, entry.user!.id),
        );
        const overLimit = dueActive.length > scenario.max;
        for (const entry of entries) {
          const { status, id } = entry.user!;
          const due = isDueByTest(scenario, id);
          if (status === 'DEACTIVATED') expect(entry.outcome).toBe('already-deactivated');
          else if (!due) {
            expect(entry.outcome).toBe('scheduled');
            expect(entry.message).toContain(entry.target.deactivateOn);
            scheduledSeen++;
          } else
            expect([entry.outcome, entry.reason]).toEqual(
              overLimit ? ['blocked', 'over-limit'] : ['would-deactivate', undefined],
            );
        }
      }),
      { numRuns: 500 },
    );
    expect(scheduledSeen).toBeGreaterThan(100);
  });

  it('a scheduled entry changes the digest when its date changes (reviewers approve the date)', () => {
    const directory = new Directory([CALLER, { id: '21', email: 'a@example.com', status: 'ACTIVE' }]);
    const entriesFor = (deactivateOn: string) =>
      decideEntries(
        'deactivate',
        [{ id: '21', given: '21', deactivateOn, source: { file: 'f.yaml', line: 2 } }],
        eligibilityContext({}, CALLER),
        (target) => matchTarget(target, directory, new Map())!,
        25,
        new Date('2026-12-01T00:00:00Z'),
      );
    const first = entriesFor('2026-12-15');
    expect(first[0]!.outcome).toBe('scheduled');
    expect(planDigest('deactivate', first)).not.toBe(planDigest('deactivate', entriesFor('2026-12-16')));
  });
});

describe('apply with leave dates, over HTTP against the simulator', () => {
  it('deactivates exactly the due users and leaves every scheduled one active', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const simulator = await startSimulator({
          requestsPerMinute: Infinity,
          seed: {
            tokens: { [ADMIN_TOKEN]: CALLER.id },
            users: scenario.users.map((user) => ({
              id: user.id,
              email: user.email,
              status: user.status as 'ACTIVE',
              admin: user.id === CALLER.id,
            })),
          },
        });
        try {
          const api = createClient({ token: ADMIN_TOKEN, baseUrl: simulator.url, requestsPerMinute: 60_000 });
          const planned = await plan(api, scenario.targets, { maxDeactivations: 25, now: scenario.now });
          const report = await apply(api, planned);
          for (const user of scenario.users.slice(1)) {
            const expected =
              user.status === 'ACTIVE' && !isDueByTest(scenario, user.id) ? 'ACTIVE' : 'DEACTIVATED';
            expect(simulator.user(user.id)?.status).toBe(expected);
            const result = report.results.find((candidate) => candidate.id === user.id)!;
            if (expected === 'ACTIVE') {
              expect(result.outcome).toBe('scheduled');
              expect(result.deactivateOn).toBe(
                scenario.targets.find((target) => target.id === user.id)!.deactivateOn,
              );
            }
          }
          expect(report.summary.scheduled).toBe(
            report.results.filter((result) => result.outcome === 'scheduled').length,
          );
        } finally {
          await simulator.stop();
        }
      }),
      { numRuns: 20 },
    );
  }, 60_000);
});

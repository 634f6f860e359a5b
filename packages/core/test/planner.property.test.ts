import { startSimulator } from '@smartsheet-offboard/simulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../src/apply.js';
import { createClient } from '../src/client.js';
import { decideEntries, isChange } from '../src/decide.js';
import { eligibilityContext } from '../src/eligibility.js';
import { SMARTSHEET_ISP_DOMAINS } from '../src/emails.js';
import { plan, planDigest } from '../src/plan.js';
import { Directory, matchTarget } from '../src/resolve.js';
import type { PlanEntry, PlanOptions, SmartsheetUser, Target } from '../src/types.js';
import { ADMIN_TOKEN } from './support/org.js';

const DOMAINS = ['example.com', 'eu.example.com', 'partner.org', 'gmail.com', 'yahoo.com', 'contractors.io'];
const STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'DEACTIVATED', 'PENDING', 'DECLINED'];

interface OrgUser extends SmartsheetUser {
  status: string;
  admin: boolean;
  groupAdmin: boolean;
}

const userArb = (index: number) =>
  fc.record({
    id: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String),
    email: fc
      .oneof(
        { arbitrary: fc.constant(DOMAINS[0]!), weight: 3 },
        { arbitrary: fc.constantFrom(...DOMAINS), weight: 2 },
      )
      .map((domain) => `person${index}@${domain}`),
    status: fc.constantFrom(...STATUSES),
    // About one in eight is a System Admin.
    admin: fc.nat({ max: 7 }).map((draw) => draw === 0),
    groupAdmin: fc.nat({ max: 7 }).map((draw) => draw === 0),
  });

/** An organisation (unique IDs and emails), the caller among its admins, and what a file may name. */
const scenarioArb = fc
  .integer({ min: 1, max: 24 })
  .chain((size) => fc.tuple(...Array.from({ length: size }, (_, index) => userArb(index))))
  .filter((users) => new Set(users.map((user) => user.id)).size === users.length)
  .chain((users) =>
    fc.record({
      users: fc.constant(users as OrgUser[]),
      callerIndex: fc.nat({ max: users.length - 1 }),
      targets: fc.array(
        fc.oneof(
          fc.nat({ max: users.length - 1 }).map((index) => ({ kind: 'id' as const, index })),
          fc.nat({ max: users.length - 1 }).map((index) => ({ kind: 'email' as const, index })),
          fc.nat({ max: users.length - 1 }).map((index) => ({ kind: 'both' as const, index })),
          fc
            .tuple(fc.nat({ max: users.length - 1 }), fc.nat({ max: users.length - 1 }))
            .map(([index, other]) => ({
              kind: 'mixed' as const,
              index,
              other,
            })),
          fc
            .bigInt({ min: 1n, max: 2n ** 63n - 1n })
            .map((id) => ({ kind: 'unknown-id' as const, id: String(id) })),
          fc.constantFrom(...DOMAINS).map((domain) => ({ kind: 'unknown-email' as const, domain })),
        ),
        { minLength: 1, maxLength: 30 },
      ),
      protectedPicks: fc.array(fc.tuple(fc.nat({ max: users.length - 1 }), fc.boolean()), { maxLength: 4 }),
      planDomains: fc.option(fc.subarray(DOMAINS, { minLength: 1 }), { nil: undefined, freq: 2 }),
      extraIspDomains: fc.subarray(['contractors.io'], {}),
      allowAdmins: fc.boolean(),
      maxDeactivations: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined, freq: 2 }),
    }),
  )
  .map((scenario) => {
    // Copies: fast-check reuses generated values while shrinking.
    const users = scenario.users.map((user) => ({ ...user }));
    const caller = users[scenario.callerIndex]!;
    caller.admin = true;
    caller.status = 'ACTIVE';
    const targets: Target[] = scenario.targets.map((pick, line) => {
      const source = { file: 'offboarding/property.yaml', line: line + 1 };
      switch (pick.kind) {
        case 'id':
          return { id: users[pick.index]!.id, given: users[pick.index]!.id, source };
        case 'email':
          return { email: users[pick.index]!.email, given: users[pick.index]!.email, source };
        case 'both':
          return {
            id: users[pick.index]!.id,
            email: users[pick.index]!.email,
            given: users[pick.index]!.id,
            source,
          };
        case 'mixed':
          return {
            id: users[pick.index]!.id,
            email: users[pick.other]!.email,
            given: users[pick.index]!.id,
            source,
          };
        case 'unknown-id':
          return { id: pick.id, given: pick.id, source };
        default: // unknown-email
          return { email: `nobody${line}@${pick.domain}`, given: `nobody${line}@${pick.domain}`, source };
      }
    });
    const options: PlanOptions = {
      protectedUsers: scenario.protectedPicks.map(([index, byEmail]) =>
        byEmail ? users[index]!.email : users[index]!.id,
      ),
      planDomains: scenario.planDomains,
      extraIspDomains: scenario.extraIspDomains,
      allowAdmins: scenario.allowAdmins,
      maxDeactivations: scenario.maxDeactivations,
    };
    return { users, caller, targets, options };
  });

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** The planner's decisions for a whole organisation known up front: what paging the user list gives. */
function decide(
  scenario: Scenario,
  targets: readonly Target[] = scenario.targets,
  options = scenario.options,
) {
  const directory = new Directory(scenario.users);
  const unknown = new Map<string, null>(
    targets.flatMap((target) => (target.id === undefined ? [] : [[target.id, null] as const])),
  );
  const caller = { id: scenario.caller.id, email: scenario.caller.email };
  return decideEntries(
    'deactivate',
    targets,
    eligibilityContext(options, caller),
    (target) => matchTarget(target, directory, unknown)!,
    options.maxDeactivations ?? 25,
    new Date(),
  );
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

/** The safety property, stated from the options and the organisation, not from the planner's code. */
function assertNeverUnsafe(scenario: Scenario, entries: readonly PlanEntry[]) {
  const { options, caller, users } = scenario;
  const protectedSet = new Set(options.protectedUsers);
  const isp = new Set([...SMARTSHEET_ISP_DOMAINS, ...(options.extraIspDomains ?? [])]);
  const changing = entries.filter((entry) => entry.outcome === 'would-deactivate');
  for (const entry of changing) {
    const user = users.find((candidate) => candidate.id === entry.user?.id);
    expect(user, 'a change is for a user of the organisation').toBeDefined();
    expect(user!.status).toBe('ACTIVE');
    expect(user!.id).not.toBe(caller.id);
    expect(protectedSet.has(user!.id) || protectedSet.has(user!.email)).toBe(false);
    if (!options.allowAdmins) expect(user!.admin || user!.groupAdmin).toBe(false);
    expect(isp.has(domainOf(user!.email))).toBe(false);
    if (options.planDomains) expect(options.planDomains).toContain(domainOf(user!.email));
    // The target named this very user, by ID and email alike when it gave both.
    if (entry.target.id !== undefined) expect(entry.target.id).toBe(user!.id);
    if (entry.target.email !== undefined) expect(entry.target.email).toBe(user!.email);
  }
  // An entry whose ID and email name different people makes the whole plan invalid: nothing changes.
  if (entries.some((entry) => entry.reason === 'id-email-mismatch')) expect(changing).toEqual([]);
  const distinct = new Set(changing.map((entry) => entry.user!.id));
  expect(distinct.size).toBeLessThanOrEqual(options.maxDeactivations ?? 25);
  if (distinct.size > 0) expect(entries.some((entry) => entry.reason === 'over-limit')).toBe(false);
}

const decisionsOf = (entries: readonly PlanEntry[]) =>
  entries
    .map(
      (entry) =>
        `${entry.user?.id ?? entry.target.id ?? entry.target.email}|${entry.outcome}|${entry.reason ?? ''}`,
    )
    .sort();

describe('planner properties', () => {
  it('never plans to deactivate a protected user, the caller, an admin (unless allowed), or an ISP or out-of-plan user', () => {
    let plansWithChanges = 0;
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const entries = decide(scenario);
        assertNeverUnsafe(scenario, entries);
        if (entries.some(isChange)) plansWithChanges++;
      }),
      { numRuns: 400 },
    );
    // Not vacuous: many generated plans do deactivate someone.
    expect(plansWithChanges).toBeGreaterThan(50);
  });

  it('gives the same digest whatever the order of the targets', () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((scenario) =>
          fc.tuple(
            fc.constant(scenario),
            fc.shuffledSubarray(scenario.targets, {
              minLength: scenario.targets.length,
            }),
          ),
        ),
        ([scenario, shuffled]) => {
          expect(planDigest('deactivate', decide(scenario, shuffled))).toBe(
            planDigest('deactivate', decide(scenario)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('changes the digest exactly when a decision changes', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.boolean(),
        fc.integer({ min: 0, max: 12 }),
        (scenario, allowAdmins, max) => {
          const first = decide(scenario);
          const second = decide(scenario, scenario.targets, {
            ...scenario.options,
            allowAdmins,
            maxDeactivations: max,
          });
          const sameDecisions = JSON.stringify(decisionsOf(first)) === JSON.stringify(decisionsOf(second));
          expect(planDigest('deactivate', first) === planDigest('deactivate', second)).toBe(sameDecisions);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('changes the digest when any single decision is altered', () => {
    const outcomes: PlanEntry['outcome'][] = [
      'would-deactivate',
      'already-deactivated',
      'blocked',
      'not-found',
    ];
    fc.assert(
      fc.property(
        scenarioArb.filter((scenario) => scenario.targets.length > 0),
        fc.nat(),
        fc.nat({ max: outcomes.length - 1 }),
        (scenario, pick, outcomeIndex) => {
          const entries = decide(scenario);
          const index = pick % entries.length;
          const original = entries[index]!;
          const outcome = outcomes[outcomeIndex]!;
          const altered: PlanEntry =
            outcome === original.outcome
              ? { ...original, reason: original.reason === 'admin' ? 'protected' : 'admin' }
              : { ...original, outcome };
          const changed = entries.map((entry, at) => (at === index ? altered : entry));
          expect(planDigest('deactivate', changed)).not.toBe(planDigest('deactivate', entries));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('apply property, over HTTP against the simulator', () => {
  it('deactivates exactly the users the plan marks, once each, and nobody else', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const simulator = await startSimulator({
          requestsPerMinute: Infinity,
          seed: {
            tokens: { [ADMIN_TOKEN]: scenario.caller.id },
            users: scenario.users.map((user) => ({
              id: user.id,
              email: user.email,
              status: user.status as 'ACTIVE',
              admin: user.admin,
              groupAdmin: user.groupAdmin,
            })),
          },
        });
        try {
          const api = createClient({ token: ADMIN_TOKEN, baseUrl: simulator.url, requestsPerMinute: 60_000 });
          const planned = await plan(api, scenario.targets, scenario.options);
          assertNeverUnsafe(scenario, planned.entries);
          expect(decisionsOf(planned.entries)).toEqual(decisionsOf(decide(scenario)));
          simulator.clearJournal();
          const report = await apply(api, planned);
          const requested = simulator
            .journal()
            .filter((entry) => entry.endpoint === 'deactivateUser')
            .map((entry) => entry.userId!);
          const marked = [...new Set(planned.entries.filter(isChange).map((entry) => entry.user!.id))];
          expect(requested.sort()).toEqual(marked.sort());
          for (const user of scenario.users) {
            const wasPlanned = marked.includes(user.id);
            expect(simulator.user(user.id)?.status).toBe(wasPlanned ? 'DEACTIVATED' : user.status);
          }
          // One result per person: no user is named by two results.
          expect(report.results).toHaveLength(planned.entries.length);
          const people = planned.entries.flatMap((entry) => (entry.user ? [entry.user.id] : []));
          expect(new Set(people).size).toBe(people.length);
          const named = planned.entries.reduce((sum, entry) => sum + 1 + (entry.alsoNamedBy?.length ?? 0), 0);
          expect(named).toBe(scenario.targets.length);
        } finally {
          await simulator.stop();
        }
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});

import type { Seed } from '@smartsheet-offboard/simulator';
import { calls } from '@smartsheet-offboard/testkit/journal';
import { beforeEach, describe, expect, it } from 'vitest';
import { apply } from '../src/apply.js';
import { plan } from '../src/plan.js';
import { ADMIN_TOKEN, byEmail, byId, connect, everyCaseSeed, PEOPLE, useSimulator } from './support/org.js';

// Plan and apply against the simulator's less common answers: 1188 for users who are not active,
// child organizations, users without an email, isInternal: false.

const DECLINED = { id: '2000000000000012', email: 'declined@example.com' };
const CHILD = { id: '2000000000000013', email: 'kim@child.example.com' };
const NO_EMAIL = { id: '2000000000000014', email: 'no.email@example.com' };

function seed(): Seed {
  const base = everyCaseSeed();
  return {
    ...base,
    users: [
      ...base.users!,
      { ...DECLINED, status: 'DECLINED' },
      { ...CHILD, childOrganization: true },
      { ...NO_EMAIL, wire: { email: null } },
    ],
  };
}

const simulator = await useSimulator(seed());
beforeEach(() => simulator.reset());

/** A deactivation by someone else, between the plan and the apply. */
async function deactivateElsewhere(id: string): Promise<void> {
  const response = await fetch(`${simulator.url}/users/${id}/deactivate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(response.status).toBe(200);
}

describe('403/1188 is confirmed against the user’s status (item 1)', () => {
  it('reports already-deactivated only once the list shows DEACTIVATED', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byEmail(PEOPLE.jane.email)]);
    expect(planned.entries[0]!.outcome).toBe('would-deactivate');
    await deactivateElsewhere(PEOPLE.jane.id);
    simulator.clearJournal();
    const report = await apply(api, planned);
    expect(report.results[0]).toMatchObject({ outcome: 'already-deactivated', errorCode: 1188 });
    expect(report.results[0]!.message).toContain('lists the user as DEACTIVATED');
    const journal = simulator.journal();
    expect(journal.map((entry) => [entry.endpoint, entry.status])).toEqual([
      ['deactivateUser', 403],
      ['listUsers', 200],
    ]);
    expect(journal[1]!.query).toEqual({ email: PEOPLE.jane.email });
  });

  it('reports blocked/not-active when Smartsheet answers 1188 for a user it lists as ACTIVE', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byEmail(PEOPLE.jane.email)]);
    simulator.failNext({
      fault: 'answer',
      answer: {
        status: 403,
        errorCode: 1188,
        message: 'The account status of the user specified is not active.',
      },
      endpoint: 'deactivateUser',
    });
    const report = await apply(api, planned);
    expect(report.results[0]).toMatchObject({ outcome: 'blocked', reason: 'not-active', errorCode: 1188 });
    expect(report.results[0]!.message).toContain('with the status ACTIVE');
    expect(report.summary).toMatchObject({ blocked: 1, 'already-deactivated': 0 });
  });

  it('leaves the change failed when reading the status to confirm fails', async () => {
    const api = connect(simulator, { maxRetryTimeMs: 0 });
    const planned = await plan(api, [byEmail(PEOPLE.jane.email)]);
    await deactivateElsewhere(PEOPLE.jane.id);
    simulator.failNext({ fault: '4000', endpoint: 'listUsers' });
    const report = await apply(api, planned);
    expect(report.results[0]).toMatchObject({ outcome: 'failed', reason: 'server-error', errorCode: 1188 });
    expect(report.results[0]!.message).toContain("Reading the user's status to confirm it failed");
  });

  it('also for a reactivation: already-active once the list shows ACTIVE', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byEmail(PEOPLE.gone.email)], { operation: 'reactivate' });
    expect(planned.entries[0]!.outcome).toBe('would-reactivate');
    const response = await fetch(`${simulator.url}/users/${PEOPLE.gone.id}/reactivate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const report = await apply(api, planned);
    expect(report.results[0]).toMatchObject({ outcome: 'already-active', errorCode: 1188 });
    expect(report.results[0]!.message).toContain('lists the user as ACTIVE');
  });

  it('a deactivation whose answer a gateway lost is retried and confirmed done', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byEmail(PEOPLE.jane.email)]);
    simulator.failNext({ fault: 'gateway-504', endpoint: 'deactivateUser', afterApplying: true });
    const report = await apply(api, planned);
    expect(report.results[0]).toMatchObject({ outcome: 'already-deactivated', errorCode: 1188 });
    expect(calls(simulator.journal(), 'deactivateUser').map((entry) => entry.status)).toEqual([504, 403]);
  });
});

describe('PENDING and DECLINED users say what to do (item 10)', () => {
  it.each([
    [PEOPLE.pending.email, 'PENDING', 'revoke the invitation in Admin Center'],
    [DECLINED.email, 'DECLINED', 'remove the user in Admin Center'],
  ])('%s (%s) is blocked/not-active with a remedy', async (email, status, remedy) => {
    const planned = await plan(connect(simulator), [byEmail(email)]);
    expect(planned.entries[0]).toMatchObject({ outcome: 'blocked', reason: 'not-active' });
    expect(planned.entries[0]!.message).toContain(`with the status ${status}`);
    expect(planned.entries[0]!.message).toContain(remedy);
  });
});

describe('isInternal: false (item 6)', () => {
  it('is blocked as external-user at plan, before any change is requested', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byEmail(PEOPLE.external.email)]);
    expect(planned.entries[0]).toMatchObject({ outcome: 'blocked', reason: 'external-user' });
    expect(planned.entries[0]!.message).toContain('isInternal: false');
    await apply(api, planned);
    expect(calls(simulator.journal(), 'deactivateUser')).toEqual([]);
  });
});

describe('Enterprise Plan Manager child organizations (item 7)', () => {
  it('an ID the list does not hold is not-member unless child organizations are allowed', async () => {
    const planned = await plan(connect(simulator), [byId(CHILD.id)]);
    expect(planned.entries[0]).toMatchObject({ outcome: 'blocked', reason: 'not-member' });
    expect(calls(simulator.journal(), 'deactivateUser')).toEqual([]);
  });

  it('allowed, it is planned with a note that Smartsheet decides, and Smartsheet’s answer is the outcome', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byId(CHILD.id), byId(PEOPLE.notMember.id)], {
      allowChildOrganizations: true,
    });
    expect(planned.entries[0]).toMatchObject({ outcome: 'would-deactivate', user: { id: CHILD.id } });
    expect(planned.entries[0]!.message).toContain('child-organization user');
    expect(planned.entries[0]!.message).toContain('Smartsheet decides');
    // A listed user is decided as before: the option only concerns IDs the list does not hold.
    expect(planned.entries[1]!.outcome).toBe('would-deactivate');
    const report = await apply(api, planned);
    expect(
      report.results.map((result) => [result.id, result.outcome, result.reason, result.errorCode]),
    ).toEqual([
      [CHILD.id, 'deactivated', undefined, undefined],
      [PEOPLE.notMember.id, 'blocked', 'not-member', 1335],
    ]);
    expect(simulator.user(CHILD.id)?.status).toBe('DEACTIVATED');
  });

  it('a child-organization user Smartsheet answers 1188 for is blocked: the list cannot confirm its status', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byId(CHILD.id)], { allowChildOrganizations: true });
    await deactivateElsewhere(CHILD.id);
    const report = await apply(api, planned);
    expect(report.results[0]).toMatchObject({ outcome: 'blocked', reason: 'not-active', errorCode: 1188 });
    expect(report.results[0]!.message).toContain('does not hold');
  });

  it('a child-organization user still meets every rule: an admin is blocked', async () => {
    const childAdmin = { id: '2000000000000015', email: 'boss@child.example.com' };
    const base = seed();
    const sim = await useSimulator({
      ...base,
      users: [...base.users!, { ...childAdmin, childOrganization: true, admin: true }],
    });
    const planned = await plan(connect(sim), [byId(childAdmin.id)], { allowChildOrganizations: true });
    expect(planned.entries[0]).toMatchObject({ outcome: 'blocked', reason: 'admin' });
  });
});

describe('a user listed without an email (item 5)', () => {
  it('does not stop the plan: it matches no email, an ID naming it is blocked, and the plan warns', async () => {
    const api = connect(simulator);
    const targets = [
      byEmail(PEOPLE.jane.email),
      byEmail(NO_EMAIL.email),
      byId(NO_EMAIL.id),
      byId(PEOPLE.big.id),
    ];
    const planned = await plan(api, targets);
    expect(planned.entries.map((entry) => [entry.target.given, entry.outcome, entry.reason])).toEqual([
      [PEOPLE.jane.email, 'would-deactivate', undefined],
      [NO_EMAIL.email, 'not-found', undefined],
      [NO_EMAIL.id, 'blocked', 'unexpected-response'],
      [PEOPLE.big.id, 'would-deactivate', undefined],
    ]);
    expect(planned.entries[2]!.message).toContain('without an email');
    expect(planned.warnings).toEqual([
      `Smartsheet listed a user without an email (ID ${NO_EMAIL.id}): they can match no email target, so email targets were matched without them.`,
    ]);
    // Paging the whole organisation still counted it: no per-ID lookups were needed.
    expect(calls(simulator.journal(), 'getUser')).toEqual([]);
    expect((await apply(api, planned)).warnings).toEqual(planned.warnings);
  });

  it('a page of an email filter that holds it is not an error either', async () => {
    const planned = await plan(connect(simulator), [byEmail(NO_EMAIL.email)]);
    expect(planned.entries[0]!.outcome).toBe('not-found');
    expect(planned.warnings).toHaveLength(1);
  });
});

import { calls, deactivationRequests } from '@smartsheet-offboard/testkit/journal';
import { CALLER } from '@smartsheet-offboard/testkit/orgs';
import { beforeEach, describe, expect, it } from 'vitest';
import { apply } from '../src/apply.js';
import { plan, settledPlanDigest } from '../src/plan.js';
import type { ReportResult, Target } from '../src/types.js';
import { ADMIN_TOKEN, byEmail, byId, connect, everyCaseSeed, PEOPLE, useSimulator } from './support/org.js';

const simulator = await useSimulator(everyCaseSeed());
const options = { planDomains: ['example.com'], protectedUsers: [PEOPLE.protectedUser.id] };

beforeEach(() => simulator.reset());

describe('apply over HTTP against the simulator', () => {
  it('settledPlanDigest predicts the digest of planning again after the apply', async () => {
    const targets = [
      byEmail(PEOPLE.jane.email, 1),
      byId(PEOPLE.big.id, 2),
      byEmail(PEOPLE.isp.email, 3),
      byEmail(PEOPLE.directory.email, 4),
    ];
    const api = connect(simulator);
    const planned = await plan(api, targets, options);
    const report = await apply(api, planned);
    const again = await plan(api, targets, options);
    expect(again.digest).not.toBe(planned.digest);
    expect(settledPlanDigest(planned, report)).toBe(again.digest);

    // It follows the report: with nothing done, the plan is what it was.
    expect(settledPlanDigest(planned, { ...report, results: [] })).toBe(planned.digest);
  });

  it('settledPlanDigest without a report predicts the digest after an apply that changed everyone planned', async () => {
    const targets = [byEmail(PEOPLE.jane.email, 1), byId(PEOPLE.big.id, 2), byEmail(PEOPLE.isp.email, 3)];
    const api = connect(simulator);
    const planned = await plan(api, targets, options);
    const expected = settledPlanDigest(planned);
    expect(expected).not.toBe(planned.digest);
    await apply(api, planned);
    expect((await plan(api, targets, options)).digest).toBe(expected);
  });

  it('deactivates exactly the would-deactivate users and reports what Smartsheet refused', async () => {
    const targets: Target[] = [
      byEmail(PEOPLE.jane.email, 1),
      byId(PEOPLE.big.id, 2),
      byEmail(PEOPLE.isp.email, 3),
      byEmail(PEOPLE.outside.email, 4),
      byEmail(PEOPLE.directory.email, 5),
      byId(PEOPLE.external.id, 6),
      byEmail(PEOPLE.notMember.email, 7),
      byEmail(CALLER.email, 8),
      byId(PEOPLE.otherAdmin.id, 9),
      byEmail(PEOPLE.protectedUser.email, 10),
      byId(PEOPLE.gone.id, 11),
      byEmail(PEOPLE.pending.email, 12),
      byEmail('nobody@example.com', 13),
    ];
    const api = connect(simulator);
    const planned = await plan(api, targets, options);
    simulator.clearJournal();
    const seen: ReportResult[] = [];
    const report = await apply(api, planned, { onResult: (result) => seen.push(result) });

    const willChange = planned.entries.filter((entry) => entry.outcome === 'would-deactivate');
    expect(deactivationRequests(simulator.journal()).sort()).toEqual(
      willChange.map((entry) => entry.user!.id).sort(),
    );
    expect(simulator.journal().every((entry) => entry.endpoint === 'deactivateUser')).toBe(true);

    expect(report.mode).toBe('apply');
    expect(report.planDigest).toBe(planned.digest);
    expect(
      report.results.map((result) => [result.given, result.outcome, result.reason, result.errorCode]),
    ).toEqual([
      [PEOPLE.jane.email, 'deactivated', undefined, undefined],
      [PEOPLE.big.id, 'deactivated', undefined, undefined],
      [PEOPLE.isp.email, 'blocked', 'isp-domain', undefined],
      [PEOPLE.outside.email, 'blocked', 'outside-plan-domains', undefined],
      [PEOPLE.directory.email, 'blocked', 'directory-managed', 5697],
      // Blocked at plan (isInternal: false): no request, so no errorCode.
      [PEOPLE.external.id, 'blocked', 'external-user', undefined],
      [PEOPLE.notMember.email, 'blocked', 'not-member', 1335],
      [CALLER.email, 'blocked', 'self', undefined],
      [PEOPLE.otherAdmin.id, 'blocked', 'admin', undefined],
      [PEOPLE.protectedUser.email, 'blocked', 'protected', undefined],
      [PEOPLE.gone.id, 'already-deactivated', undefined, undefined],
      [PEOPLE.pending.email, 'blocked', 'not-active', undefined],
      ['nobody@example.com', 'not-found', undefined, undefined],
    ]);
    expect(report.results[4]).toMatchObject({
      id: PEOPLE.directory.id,
      email: PEOPLE.directory.email,
      refId: expect.any(String),
      message: expect.stringContaining('directory service'),
      source: { file: 'offboarding/test.yaml', line: 5 },
    });
    expect(report.summary).toEqual({
      deactivated: 2,
      scheduled: 0,
      'already-deactivated': 1,
      blocked: 9,
      'not-found': 1,
      failed: 0,
    });
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('DEACTIVATED');
    expect(simulator.user(PEOPLE.big.id)?.status).toBe('DEACTIVATED');
    expect(simulator.user(PEOPLE.otherAdmin.id)?.status).toBe('ACTIVE');
    expect(seen).toHaveLength(targets.length);
    expect(JSON.stringify(report)).not.toContain(ADMIN_TOKEN);
  });

  it('over the limit, refuses everything: not one deactivate request', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byId(PEOPLE.jane.id), byId(PEOPLE.big.id), byId(PEOPLE.bob.id)], {
      maxDeactivations: 2,
    });
    simulator.clearJournal();
    const report = await apply(api, planned);
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(0);
    expect(report.results.map((result) => [result.outcome, result.reason])).toEqual([
      ['blocked', 'over-limit'],
      ['blocked', 'over-limit'],
      ['blocked', 'over-limit'],
    ]);
    expect(report.results[0]!.message).toMatch(/deactivate 3 users, over the limit of 2/);
  });

  it('checks the cap again: a plan edited past its limit changes nobody', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byId(PEOPLE.jane.id), byId(PEOPLE.big.id)]);
    expect(planned.entries.every((entry) => entry.outcome === 'would-deactivate')).toBe(true);
    simulator.clearJournal();
    const report = await apply(api, { ...planned, maxDeactivations: 1 });
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(0);
    expect(report.summary).toMatchObject({ deactivated: 0, blocked: 2 });
  });

  it('refuses a plan whose entries no longer match its digest: a blocked entry edited to a change changes nobody', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byId(PEOPLE.jane.id), byId(PEOPLE.otherAdmin.id)]);
    expect(planned.entries.map((entry) => entry.outcome)).toEqual(['would-deactivate', 'blocked']);
    const { reason: _admin, message: _why, ...admin } = planned.entries[1]!;
    const edited = {
      ...planned,
      entries: [planned.entries[0]!, { ...admin, outcome: 'would-deactivate' as const }],
    };
    simulator.clearJournal();
    await expect(apply(api, edited)).rejects.toThrow(/digest/);
    // A change with no user to name is refused the same way, not a crash half-way.
    const { user: _user, ...userless } = planned.entries[0]!;
    await expect(apply(api, { ...planned, entries: [userless] })).rejects.toThrow(/digest/);
    expect(simulator.journal()).toEqual([]);
    expect(simulator.user(PEOPLE.otherAdmin.id)?.status).toBe('ACTIVE');
  });

  it('deactivates a user named twice once, and reports one result listing both targets', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byId(PEOPLE.jane.id), byEmail(PEOPLE.jane.email, 4)]);
    simulator.clearJournal();
    const report = await apply(api, planned);
    expect(deactivationRequests(simulator.journal())).toEqual([PEOPLE.jane.id]);
    expect(report.results.map((result) => [result.outcome, result.sources])).toEqual([
      [
        'deactivated',
        [
          { file: 'offboarding/test.yaml', line: 1 },
          { file: 'offboarding/test.yaml', line: 4 },
        ],
      ],
    ]);
    expect(report.summary).toMatchObject({ deactivated: 1 });
  });

  it('gets through seeded 5xx faults by retrying, and ends in success', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byId(PEOPLE.jane.id), byId(PEOPLE.big.id), byId(PEOPLE.bob.id)]);
    simulator.setFaults({ seed: 7, rates: { '4004': 0.4, '4001': 0.2 }, endpoints: ['deactivateUser'] });
    const report = await apply(api, planned);
    expect(report.summary).toMatchObject({ deactivated: 3, failed: 0 });
    const faulted = simulator.journal().filter((entry) => entry.fault !== undefined);
    expect(faulted.length).toBeGreaterThan(0);
  });

  it('reports failed with a reason when a transient error outlasts the retries', async () => {
    const api = connect(simulator, { maxRetryTimeMs: 0 });
    const planned = await plan(api, [byId(PEOPLE.jane.id), byId(PEOPLE.bob.id)]);
    simulator.failNext({ fault: '4004', endpoint: 'deactivateUser', userId: PEOPLE.jane.id, count: 10 });
    const report = await apply(api, planned);
    expect(report.results.map((result) => [result.outcome, result.reason, result.errorCode])).toEqual([
      ['failed', 'server-error', 4004],
      ['deactivated', undefined, undefined],
    ]);
  });

  it('stops starting changes when aborted: the rest are failed/interrupted, and a second run finishes', async () => {
    const api = connect(simulator);
    const targets = [PEOPLE.jane, PEOPLE.big, PEOPLE.bob, PEOPLE.protectedUser].map((person) =>
      byId(person.id),
    );
    const planned = await plan(api, targets);
    const controller = new AbortController();
    simulator.clearJournal();
    const report = await apply(api, planned, {
      concurrency: 1,
      signal: controller.signal,
      onResult: (result) => {
        if (result.outcome === 'deactivated') controller.abort();
      },
    });
    expect(report.results.map((result) => [result.outcome, result.reason])).toEqual([
      ['deactivated', undefined],
      ['failed', 'interrupted'],
      ['failed', 'interrupted'],
      ['failed', 'interrupted'],
    ]);
    expect(report.results[1]!.message).toMatch(/Run again to finish/);
    expect(deactivationRequests(simulator.journal())).toEqual([PEOPLE.jane.id]);

    const second = await apply(api, await plan(api, targets));
    expect(second.results.map((result) => result.outcome)).toEqual([
      'already-deactivated',
      'deactivated',
      'deactivated',
      'deactivated',
    ]);
    expect(deactivationRequests(simulator.journal()).sort()).toEqual(
      [PEOPLE.jane.id, PEOPLE.big.id, PEOPLE.bob.id, PEOPLE.protectedUser.id].sort(),
    );
  });

  it('an abort also ends the retries of a change already started, so a 429 storm cannot hold Ctrl-C', async () => {
    const controller = new AbortController();
    // Retries for up to a minute unless the abort ends them. Ctrl-C comes 50 ms after the first 429:
    // counted from the refusal, not from the start, so it lands in the first backoff wait (5–10 s)
    // however slow the machine is, and that wait must end at once.
    const api = connect(simulator, {
      maxRetryTimeMs: 60_000,
      retryBaseDelayMs: 5_000,
      signal: controller.signal,
      onAttempt: (attempt) => {
        if (attempt.status === 429 && !controller.signal.aborted) setTimeout(() => controller.abort(), 50);
      },
    });
    const planned = await plan(api, [byId(PEOPLE.jane.id), byId(PEOPLE.bob.id)]);
    simulator.failNext({ fault: '429', endpoint: 'deactivateUser', count: 10_000 });
    simulator.clearJournal();
    const started = performance.now();
    const report = await apply(api, planned, { signal: controller.signal });
    // Well under the shortest backoff wait, which an abort that did not end it would sit out.
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(report.results.map((result) => [result.outcome, result.reason])).toEqual([
      ['failed', 'interrupted'],
      ['failed', 'interrupted'],
    ]);
    expect(report.results[0]!.message).toMatch(/^Interrupted while retrying.*429.*Run again/);
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('ACTIVE');
    const attempts = calls(simulator.journal(), 'deactivateUser').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(attempts);
  }, 15_000);

  it('reports already-deactivated when someone else deactivated the user after the plan', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byId(PEOPLE.jane.id)]);
    await api.deactivateUser(PEOPLE.jane.id);
    const report = await apply(api, planned);
    expect(report.results[0]).toMatchObject({ outcome: 'already-deactivated', errorCode: 1188 });
  });

  it('stops the whole run when the token is rejected: the rest end failed/unauthorized', async () => {
    const planned = await plan(
      connect(simulator),
      [PEOPLE.jane, PEOPLE.big, PEOPLE.bob].map((p) => byId(p.id)),
    );
    simulator.clearJournal();
    const revoked = connect(simulator, { token: 'sim-revoked-token-00000000' });
    const report = await apply(revoked, planned, { concurrency: 1 });
    expect(report.results.map((result) => [result.outcome, result.reason])).toEqual([
      ['failed', 'unauthorized'],
      ['failed', 'unauthorized'],
      ['failed', 'unauthorized'],
    ]);
    expect(report.results[0]!.errorCode).toBe(1002);
    expect(report.results[1]!.message).toMatch(/Not attempted/);
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(1);
    expect(JSON.stringify(report)).not.toContain('sim-revoked-token');
  });

  it('reactivates deactivated users and leaves active ones alone', async () => {
    const api = connect(simulator);
    const planned = await plan(api, [byId(PEOPLE.gone.id), byId(PEOPLE.jane.id)], {
      operation: 'reactivate',
    });
    simulator.clearJournal();
    const report = await apply(api, planned);
    expect(report.mode).toBe('reactivate');
    expect(report.results.map((result) => result.outcome)).toEqual(['reactivated', 'already-active']);
    expect(calls(simulator.journal(), 'reactivateUser').map((entry) => entry.userId)).toEqual([
      PEOPLE.gone.id,
    ]);
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(0);
    expect(report.summary).toEqual({
      reactivated: 1,
      'already-active': 1,
      blocked: 0,
      'not-found': 0,
      failed: 0,
    });
  });
});

describe('reactivation after the window', async () => {
  const longGone = { id: '2000000000000099', email: 'long.gone@example.com' };
  const seed = everyCaseSeed();
  const windowed = await useSimulator({
    ...seed,
    users: [...(seed.users ?? []), { ...longGone, status: 'DEACTIVATED', deactivatedDaysAgo: 40 }],
  });

  it('says the window has likely passed when Smartsheet refuses a deactivated user with 403/1004', async () => {
    const api = connect(windowed);
    const planned = await plan(api, [byEmail(longGone.email), byId(PEOPLE.gone.id)], {
      operation: 'reactivate',
    });
    expect(planned.entries.map((entry) => entry.outcome)).toEqual(['would-reactivate', 'would-reactivate']);
    const report = await apply(api, planned);
    expect(report.results.map((result) => [result.outcome, result.reason, result.errorCode])).toEqual([
      ['blocked', 'reactivation-window', 1004],
      ['reactivated', undefined, undefined],
    ]);
    expect(report.results[0]!.message).toMatch(/reactivation window/);
    expect(report.results[0]!.message).toMatch(/external/);
    expect(windowed.user(longGone.id)?.status).toBe('DEACTIVATED');
  });
});

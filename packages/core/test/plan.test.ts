import { calls } from '@smartsheet-offboard/testkit/journal';
import { CALLER } from '@smartsheet-offboard/testkit/orgs';
import { describe, expect, it } from 'vitest';
import { SmartsheetApiError } from '../src/errors.js';
import { plan, planDigest } from '../src/plan.js';
import type { PlanEntry, Target } from '../src/types.js';
import {
  ADMIN_TOKEN,
  byEmail,
  byId,
  connect,
  everyCaseSeed,
  MEMBER_TOKEN,
  PEOPLE,
  useSimulator,
} from './support/org.js';

describe('planDigest', () => {
  const entry = (given: string, outcome: PlanEntry['outcome'], reason?: PlanEntry['reason']): PlanEntry => ({
    target: { id: given, given, source: { input: 'user-ids' } },
    outcome,
    ...(reason && { reason }),
  });
  const entries = [entry('1', 'would-deactivate'), entry('2', 'blocked', 'admin'), entry('3', 'not-found')];

  it('is a sha256 that ignores the order of the targets', () => {
    const digest = planDigest('deactivate', entries);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(planDigest('deactivate', [...entries].reverse())).toBe(digest);
  });

  it('changes when a decision, a reason or the operation changes', () => {
    const digest = planDigest('deactivate', entries);
    expect(planDigest('deactivate', [entry('1', 'blocked', 'over-limit'), ...entries.slice(1)])).not.toBe(
      digest,
    );
    expect(planDigest('deactivate', [entries[0]!, entry('2', 'blocked', 'protected'), entries[2]!])).not.toBe(
      digest,
    );
    expect(planDigest('reactivate', entries)).not.toBe(digest);
    expect(planDigest('deactivate', entries.slice(1))).not.toBe(digest);
  });

  it('ignores messages, which may word the same decision differently', () => {
    const reworded = entries.map((item) => ({ ...item, message: 'said differently' }));
    expect(planDigest('deactivate', reworded)).toBe(planDigest('deactivate', entries));
  });
});

describe('plan over HTTP against the simulator', async () => {
  const simulator = await useSimulator(everyCaseSeed());
  const options = { planDomains: ['example.com'], protectedUsers: [PEOPLE.protectedUser.id] };

  it('decides every case, resolving in three requests', async () => {
    simulator.clearJournal();
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
      byEmail(PEOPLE.groupAdmin.email, 10),
      byEmail(PEOPLE.protectedUser.email, 11),
      byId(PEOPLE.gone.id, 12),
      byEmail(PEOPLE.pending.email, 13),
      byEmail('nobody@example.com', 14),
      byId('3000000000000001', 15),
    ];
    const result = await plan(connect(simulator), targets, options);

    expect(result.caller).toEqual(CALLER);
    expect(result.operation).toBe('deactivate');
    expect(result.entries.map((entry) => [entry.target.given, entry.outcome, entry.reason])).toEqual([
      [PEOPLE.jane.email, 'would-deactivate', undefined],
      [PEOPLE.big.id, 'would-deactivate', undefined],
      [PEOPLE.isp.email, 'blocked', 'isp-domain'],
      [PEOPLE.outside.email, 'blocked', 'outside-plan-domains'],
      // Only Smartsheet knows who its directory manages or who is not a member: apply finds out.
      [PEOPLE.directory.email, 'would-deactivate', undefined],
      // The list says isInternal: false: Smartsheet would refuse (1004), so it is blocked at plan.
      [PEOPLE.external.id, 'blocked', 'external-user'],
      [PEOPLE.notMember.email, 'would-deactivate', undefined],
      [CALLER.email, 'blocked', 'self'],
      [PEOPLE.otherAdmin.id, 'blocked', 'admin'],
      [PEOPLE.groupAdmin.email, 'blocked', 'admin'],
      [PEOPLE.protectedUser.email, 'blocked', 'protected'],
      [PEOPLE.gone.id, 'already-deactivated', undefined],
      [PEOPLE.pending.email, 'blocked', 'not-active'],
      ['nobody@example.com', 'not-found', undefined],
      ['3000000000000001', 'not-found', undefined],
    ]);
    // The 64-bit ID survives exactly, and the user's email comes from Smartsheet.
    expect(result.entries[1]!.user).toMatchObject({ id: PEOPLE.big.id, email: PEOPLE.big.email });
    for (const entry of result.entries.filter((item) => item.outcome !== 'would-deactivate')) {
      if (entry.outcome !== 'already-deactivated') expect(entry.message).toEqual(expect.any(String));
    }
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // /users/me, one page of the (small) organisation, and one profile for the unknown ID.
    const journal = simulator.journal();
    expect(journal.map((entry) => entry.endpoint)).toEqual(['getCurrentUser', 'listUsers', 'getUser']);
    expect(calls(journal, 'getUser')[0]!.userId).toBe('3000000000000001');
    expect(calls(journal, 'deactivateUser')).toHaveLength(0);
    expect(JSON.stringify(result)).not.toContain(ADMIN_TOKEN);
  });

  it('holds every change while an entry gives the ID of one person and the email of another', async () => {
    const mismatch: Target = {
      id: PEOPLE.jane.id,
      email: PEOPLE.bob.email,
      given: PEOPLE.jane.id,
      source: { file: 'offboarding/mixed-up.yaml', line: 7 },
    };
    const result = await plan(
      connect(simulator),
      [byId(PEOPLE.big.id), mismatch, byId(PEOPLE.gone.id)],
      options,
    );
    expect(result.entries.map((entry) => [entry.outcome, entry.reason])).toEqual([
      ['blocked', 'plan-invalid'],
      ['blocked', 'id-email-mismatch'],
      ['already-deactivated', undefined],
    ]);
    expect(result.entries[1]!.message).toContain(
      `${PEOPLE.bob.email} belongs to the Smartsheet user with ID ${PEOPLE.bob.id}`,
    );
    expect(result.entries[0]!.message).toContain(
      `Nothing will be deactivated while an entry is invalid: ${PEOPLE.jane.id} (offboarding/mixed-up.yaml line 7)`,
    );
  });

  it('gives the same digest whatever the order of the targets', async () => {
    const targets = [byEmail(PEOPLE.jane.email), byId(PEOPLE.gone.id), byEmail(PEOPLE.isp.email)];
    const api = connect(simulator);
    const forward = await plan(api, targets, options);
    const backward = await plan(api, [...targets].reverse(), options);
    expect(backward.digest).toBe(forward.digest);
    const protectingJane = await plan(api, targets, { ...options, protectedUsers: [PEOPLE.jane.email] });
    expect(protectingJane.digest).not.toBe(forward.digest);
  });

  it('refuses a token whose user is not a System Admin, before looking anyone up', async () => {
    simulator.clearJournal();
    const attempt = plan(connect(simulator, { token: MEMBER_TOKEN }), [byEmail(PEOPLE.jane.email)]);
    await expect(attempt).rejects.toBeInstanceOf(SmartsheetApiError);
    await expect(attempt).rejects.toThrow(/bob@example.com .* is not a System Admin.*ADMIN_USERS/);
    expect(simulator.journal().map((entry) => entry.endpoint)).toEqual(['getCurrentUser']);
  });
});

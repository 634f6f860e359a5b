import { afterEach, describe, expect, it } from 'vitest';
import type { Seed, SeedUser, Simulator } from '../src/index.js';
import {
  ADMIN_TOKEN,
  call,
  expectError,
  IDS,
  NOW,
  SECOND_ADMIN_TOKEN,
  startTestSimulator,
  testSeed,
  USER_TOKEN,
} from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(change: (seed: Seed) => void = () => {}): Promise<Simulator> {
  const seed = testSeed();
  change(seed);
  sim = await startTestSimulator({ seed });
  return sim;
}

const deactivate = (s: Simulator, id: string, token = ADMIN_TOKEN) =>
  call(s, 'POST', `/users/${id}/deactivate`, token);
const reactivate = (s: Simulator, id: string, token = ADMIN_TOKEN) =>
  call(s, 'POST', `/users/${id}/reactivate`, token);

describe('POST /users/{userId}/deactivate', () => {
  it('deactivates an active user: 200 SUCCESS, and the state and the list show DEACTIVATED', async () => {
    const s = await start();
    const result = await deactivate(s, IDS.carol);
    expect(result.status).toBe(200);
    expect(result.text).toBe('{"message":"SUCCESS","resultCode":0}');
    expect(s.user(IDS.carol)).toMatchObject({
      status: 'DEACTIVATED',
      deactivatedAt: new Date(NOW).toISOString(),
    });
    const listed = await call(s, 'GET', `/users?email=carol.case@example.com`, ADMIN_TOKEN);
    expect(listed.json.data[0].status).toBe('DEACTIVATED');
  });

  it('deactivates a user whose ID is above 2^53 (the exact one)', async () => {
    const s = await start();
    expect((await deactivate(s, IDS.big)).status).toBe(200);
    expect(s.user(IDS.big)?.status).toBe('DEACTIVATED');
    expect(s.user(IDS.unsafe)?.status).toBe('ACTIVE');
    expect((await deactivate(s, IDS.unsafe)).status).toBe(200);
    expect(s.user(IDS.unsafe)?.status).toBe('DEACTIVATED');
  });

  it('accepts a path ID with leading zeros, as Smartsheet parses a long', async () => {
    const s = await start();
    expect((await deactivate(s, `00${IDS.carol}`)).status).toBe(200);
    expect(s.user(IDS.carol)?.status).toBe('DEACTIVATED');
  });

  it.each([
    ['an ISP-domain user', IDS.isp, 403, 1359],
    ['an external user', IDS.external, 403, 1004],
    ['a user outside the plan domains', IDS.otherDomain, 403, 1004],
    ['a directory-managed user', IDS.directory, 400, 5697],
    ['a user who is not a member', IDS.notMember, 403, 1335],
    ['the caller itself', IDS.admin, 403, 1336],
    ['an unknown user', '777777', 404, 1020],
    ['a pending user', IDS.pending, 403, 1188],
  ])('refuses %s and leaves the state unchanged', async (_case, id, status, errorCode) => {
    const s = await start();
    const before = s.user(id);
    const result = await deactivate(s, id);
    expectError(result, status, errorCode);
    expect(s.user(id)).toEqual(before);
  });

  it('uses Smartsheet messages', async () => {
    const s = await start();
    expect((await deactivate(s, IDS.isp)).json.message).toBe(
      'User account with a common ISP domain email cannot be deactivated. You can only remove them from the Org.',
    );
    expect((await deactivate(s, IDS.directory)).json.message).toBe(
      'This person is managed from your directory service. Please deactivate them through your directory service instead.',
    );
    expect((await deactivate(s, IDS.admin)).json.message).toBe(
      'You cannot deactivate yourself from the account through the API.',
    );
  });

  it('refuses a caller who is not a System Admin with 403/1004 (a group admin is not enough)', async () => {
    const s = await start((seed) => {
      seed.tokens!['group-admin-token'] = IDS.groupAdmin;
    });
    expectError(await deactivate(s, IDS.carol, USER_TOKEN), 403, 1004);
    expectError(await deactivate(s, IDS.carol, 'group-admin-token'), 403, 1004);
    expectError(await reactivate(s, IDS.deactivatedRecently, USER_TOKEN), 403, 1004);
    expect(s.user(IDS.carol)?.status).toBe('ACTIVE');
  });

  it('lets one admin deactivate another admin (the API has no such rule)', async () => {
    const s = await start();
    expect((await deactivate(s, IDS.secondAdmin)).status).toBe(200);
  });

  it('answers 403/1356 on a Gov server, for deactivate and reactivate', async () => {
    const s = await start((seed) => {
      seed.gov = true;
    });
    expectError(await deactivate(s, IDS.carol), 403, 1356);
    expectError(await reactivate(s, IDS.deactivatedRecently), 403, 1356);
    expect((await call(s, 'GET', '/users', ADMIN_TOKEN)).status).toBe(200);
  });

  it('takes any ISP domain added in settings.extraIspDomains', async () => {
    const s = await start((seed) => {
      seed.settings = { extraIspDomains: ['example.com'] };
    });
    expectError(await deactivate(s, IDS.carol), 403, 1359);
  });

  it('does not check domains when the seed names no plan domains', async () => {
    const s = await start((seed) => {
      seed.planDomains = [];
    });
    expect((await deactivate(s, IDS.otherDomain)).status).toBe(200);
  });

  describe('deactivating someone already deactivated (undocumented: a setting)', () => {
    it("answers 403/1188 by default ('error') and keeps the first deactivation time", async () => {
      const s = await start();
      expect((await deactivate(s, IDS.carol)).status).toBe(200);
      const first = s.user(IDS.carol)?.deactivatedAt;
      expectError(await deactivate(s, IDS.carol), 403, 1188);
      expectError(await deactivate(s, IDS.deactivatedRecently), 403, 1188);
      expect(s.user(IDS.carol)?.deactivatedAt).toBe(first);
    });

    it("answers 200 SUCCESS with alreadyDeactivated: 'succeed', changing nothing", async () => {
      const s = await start((seed) => {
        seed.settings = { alreadyDeactivated: 'succeed' };
      });
      const before = s.user(IDS.deactivatedRecently);
      const result = await deactivate(s, IDS.deactivatedRecently);
      expect(result.json).toEqual({ message: 'SUCCESS', resultCode: 0 });
      expect(s.user(IDS.deactivatedRecently)).toEqual(before);
    });
  });
});

describe('error precedence (first rule wins)', () => {
  const withUser =
    (id: string, changes: Partial<SeedUser>) =>
    (seed: Seed): void => {
      Object.assign(seed.users!.find((user) => user.id === id)!, changes);
    };
  const gov = (seed: Seed): void => {
    seed.gov = true;
  };
  // Each case makes two or more rules apply and checks which answer wins.
  it.each([
    ['Gov over caller-not-admin', gov, USER_TOKEN, IDS.carol, 1356],
    ['caller-not-admin over unknown user', () => {}, USER_TOKEN, '777777', 1004],
    ['unknown user over everything about the target', () => {}, ADMIN_TOKEN, '777777', 1020],
    [
      'self over directory-managed',
      withUser(IDS.admin, { directoryManaged: true }),
      ADMIN_TOKEN,
      IDS.admin,
      1336,
    ],
    [
      'not-member over ISP domain',
      withUser(IDS.notMember, { email: 'grace@gmail.com' }),
      ADMIN_TOKEN,
      IDS.notMember,
      1335,
    ],
    [
      'external (1004) over ISP domain',
      withUser(IDS.external, { email: 'frank@gmail.com' }),
      ADMIN_TOKEN,
      IDS.external,
      1004,
    ],
    [
      'ISP domain over directory-managed',
      withUser(IDS.isp, { directoryManaged: true }),
      ADMIN_TOKEN,
      IDS.isp,
      1359,
    ],
    [
      'outside plan domains (1004) over directory-managed',
      withUser(IDS.otherDomain, { directoryManaged: true }),
      ADMIN_TOKEN,
      IDS.otherDomain,
      1004,
    ],
    [
      'directory-managed over already deactivated',
      withUser(IDS.deactivatedRecently, { directoryManaged: true }),
      ADMIN_TOKEN,
      IDS.deactivatedRecently,
      5697,
    ],
  ])('%s', async (_case, change, token, id, errorCode) => {
    const s = await start(change);
    const result = await deactivate(s, id, token);
    expect(result.json.errorCode).toBe(errorCode);
  });

  it('authentication comes before every rule', async () => {
    const s = await start((seed) => {
      seed.gov = true;
    });
    expectError(await deactivate(s, IDS.carol, 'no-such-token'), 401, 1002);
  });
});

describe('POST /users/{userId}/reactivate', () => {
  it('reactivates a user deactivated 10 days ago: ACTIVE again', async () => {
    const s = await start();
    const result = await reactivate(s, IDS.deactivatedRecently);
    expect(result.json).toEqual({ message: 'SUCCESS', resultCode: 0 });
    expect(s.user(IDS.deactivatedRecently)).toMatchObject({
      status: 'ACTIVE',
      reactivatedAt: new Date(NOW).toISOString(),
    });
    expect(s.user(IDS.deactivatedRecently)).not.toHaveProperty('deactivatedAt');
  });

  it('round-trips: deactivate then reactivate', async () => {
    const s = await start();
    await deactivate(s, IDS.carol);
    expect((await reactivate(s, IDS.carol)).status).toBe(200);
    expect(s.user(IDS.carol)?.status).toBe('ACTIVE');
  });

  it('refuses after the 30-day window (403/1004), and the window is a setting', async () => {
    const s = await start();
    expectError(await reactivate(s, IDS.deactivatedLongAgo), 403, 1004);
    expect(s.user(IDS.deactivatedLongAgo)?.status).toBe('DEACTIVATED');
    await s.stop();
    const longer = await start((seed) => {
      seed.settings = { reactivationWindowDays: 45 };
    });
    expect((await reactivate(longer, IDS.deactivatedLongAgo)).status).toBe(200);
  });

  it.each([
    ['a directory-managed user', IDS.directory, 400, 5717],
    ['a user who is not a member', IDS.notMember, 403, 1354],
    ['the caller itself', IDS.admin, 403, 1355],
    ['an external user', IDS.external, 403, 1004],
    ['an ISP-domain user', IDS.isp, 403, 1359],
    ['a user outside the plan domains', IDS.otherDomain, 403, 1004],
    ['an unknown user', '777777', 404, 1020],
  ])('refuses %s', async (_case, id, status, errorCode) => {
    const s = await start((seed) => {
      for (const user of seed.users!) {
        if (user.id === id) {
          user.status = 'DEACTIVATED';
          user.deactivatedAt = NOW - 86_400_000;
        }
      }
    });
    expectError(await reactivate(s, id), status, errorCode);
  });

  it("answers 403/1188 for a user who is not deactivated, or 200 with alreadyActive: 'succeed'", async () => {
    const s = await start();
    expectError(await reactivate(s, IDS.carol), 403, 1188);
    await s.stop();
    const lenient = await start((seed) => {
      seed.settings = { alreadyActive: 'succeed' };
    });
    expect((await reactivate(lenient, IDS.carol)).status).toBe(200);
    expect((await reactivate(lenient, IDS.pending)).status).toBe(200);
    expect(lenient.user(IDS.pending)?.status).toBe('PENDING');
  });

  it('lets a second admin reactivate someone the first deactivated', async () => {
    const s = await start();
    await deactivate(s, IDS.carol);
    expect((await reactivate(s, IDS.carol, SECOND_ADMIN_TOKEN)).status).toBe(200);
  });
});

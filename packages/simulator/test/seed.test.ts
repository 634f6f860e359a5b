import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSeed, parseSeed, type Seed, type Simulator, startSimulator } from '../src/index.js';
import { call, expectError } from './helpers.js';

const EXAMPLE_ORG = fileURLToPath(new URL('../examples/org.yaml', import.meta.url));

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('seed format', () => {
  it('reads bare YAML integers above 2^53 exactly, and quoted IDs as given', async () => {
    const seed = parseSeed(`
planDomains: [example.com]
tokens:
  t: 48569348493401200
  old: { userId: "48569348493401200", expired: true }
users:
  - { id: 48569348493401200, email: a@example.com, admin: true }
  - { id: "9007199254740993", email: b@example.com }
  - { id: 9007199254740995, email: c@example.com, name: Cee Dee Eff }
`);
    sim = await startSimulator({ seed });
    expect(sim.state().users.map((user) => user.id)).toEqual([
      '48569348493401200',
      '9007199254740993',
      '9007199254740995',
    ]);
    expect(sim.user('9007199254740995')).toMatchObject({
      firstName: 'Cee',
      lastName: 'Dee Eff',
      name: 'Cee Dee Eff',
    });
    const me = await call(sim, 'GET', '/users/me', 't');
    expect(me.text.startsWith('{"id":48569348493401200,')).toBe(true);
    expectError(await call(sim, 'GET', '/users/me', 'old'), 401, 1003);
  });

  it('reads JSON seeds too', async () => {
    sim = await startSimulator({
      seed: parseSeed('{"tokens":{"t":"1"},"users":[{"id":1,"email":"a@example.com","status":"PENDING"}]}'),
    });
    expect(sim.user('1')?.status).toBe('PENDING');
  });

  it('defaults: ACTIVE, licensed, member, not admin; deactivatedAt set for seeded DEACTIVATED users', async () => {
    const now = Date.parse('2026-01-10T00:00:00Z');
    sim = await startSimulator({
      now: () => now,
      seed: {
        users: [
          { id: '1', email: 'a@example.com' },
          { id: '2', email: 'b@example.com', status: 'DEACTIVATED' },
          { id: '3', email: 'c@example.com', status: 'DEACTIVATED', deactivatedDaysAgo: 2 },
        ],
      },
    });
    expect(sim.user('1')).toEqual({
      id: '1',
      email: 'a@example.com',
      name: '',
      firstName: '',
      lastName: '',
      status: 'ACTIVE',
      admin: false,
      groupAdmin: false,
      licensedSheetCreator: true,
      resourceViewer: false,
      directoryManaged: false,
      external: false,
      member: true,
    });
    expect(sim.user('2')?.deactivatedAt).toBe('2026-01-10T00:00:00.000Z');
    expect(sim.user('3')?.deactivatedAt).toBe('2026-01-08T00:00:00.000Z');
  });

  it.each<[string, Seed, RegExp]>([
    [
      'an unknown key',
      { users: [{ id: '1', email: 'a@example.com', admni: true } as never] },
      /users\[0\]\.admni/,
    ],
    ['a top-level typo', { user: [] } as never, /root\.user .*allowed keys/],
    [
      'an ID that a number cannot hold',
      { users: [{ id: 48569348493401200, email: 'a@example.com' }] },
      /users\[0\]\.id 48569348493401200/,
    ],
    [
      'a malformed ID',
      { users: [{ id: 'abc', email: 'a@example.com' }] },
      /users\[0\]\.id "abc": a decimal user ID/,
    ],
    ['a zero ID', { users: [{ id: '0', email: 'a@example.com' }] }, /between 1 and 2\^63-1/],
    [
      'a duplicate ID',
      {
        users: [
          { id: '1', email: 'a@example.com' },
          { id: 1, email: 'b@example.com' },
        ],
      },
      /users\.id "1": each user ID at most once/,
    ],
    [
      'a duplicate email (any case)',
      {
        users: [
          { id: '1', email: 'a@example.com' },
          { id: '2', email: 'A@Example.com' },
        ],
      },
      /each email at most once/,
    ],
    [
      'a bad status',
      { users: [{ id: '1', email: 'a@example.com', status: 'GONE' as never }] },
      /ACTIVE, DEACTIVATED/,
    ],
    ['a bad email', { users: [{ id: '1', email: 'nobody' }] }, /users\[0\]\.email "nobody"/],
    ['a bad plan domain', { planDomains: ['not a domain'] }, /planDomains\[0\]/],
    ['a bad setting', { settings: { alreadyDeactivated: 'ignore' as never } }, /'succeed' or 'error'/],
    ['a bad date', { users: [{ id: '1', email: 'a@example.com', deactivatedAt: 'yesterday' }] }, /ISO 8601/],
  ])('refuses %s with a message naming the field', async (_case, seed, message) => {
    await expect(startSimulator({ seed })).rejects.toThrow(message);
  });

  it('refuses a token for an unknown user without printing the token', async () => {
    const attempt = startSimulator({ seed: { tokens: { 'secret-token-xyz': '5' }, users: [] } });
    await expect(attempt).rejects.toThrow(/tokens\[#1\]\.userId "5": the ID of a user in the seed/);
    await attempt.catch((error: Error) => expect(error.message).not.toContain('secret-token-xyz'));
  });
});

describe('generated users', () => {
  it('start 20,000 users in well under a second and page through them with pageSize 2000', async () => {
    // CPU time of this test process, not wall time: other builds on the machine must not make it flaky.
    const cpuBefore = process.cpuUsage();
    sim = await startSimulator({
      seed: {
        planDomains: ['example.com'],
        tokens: { t: '1' },
        users: [{ id: '1', email: 'admin@example.com', admin: true }],
        generated: { count: 20_000, idStart: '9007199254740993', idStep: 2 },
      },
      requestsPerMinute: Number.POSITIVE_INFINITY,
    });
    const cpu = process.cpuUsage(cpuBefore);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1000);
    const seen = new Set<string>();
    for (let page = 1; page <= 11; page++) {
      const result = await call(sim, 'GET', `/users?pageSize=2000&page=${page}`, 't');
      expect(result.json).toMatchObject({ pageNumber: page, totalPages: 11, totalCount: 20_001 });
      for (const user of result.exact.data) seen.add(String(user.id));
    }
    expect(seen.size).toBe(20_001);
    expect(seen.has('9007199254740993')).toBe(true);
    expect(seen.has(String(9007199254740993n + 2n * 19_999n))).toBe(true);
    expect(sim.state().users.at(-1)).toMatchObject({
      email: 'user20000@example.com',
      name: 'Generated User 20000',
    });
    expect(sim.user('9007199254740995')?.email).toBe('user00002@example.com');
  });
});

describe('the shipped example org (examples/org.yaml)', () => {
  const admin = 'demo-admin-token';
  const deactivate = (s: Simulator, id: string) => call(s, 'POST', `/users/${id}/deactivate`, admin);

  it('loads, with the plan domain, ~3000 generated users and IDs above 2^53', async () => {
    sim = await startSimulator({ seed: await loadSeed(EXAMPLE_ORG) });
    const state = sim.state();
    expect(state.planDomains).toEqual(['example.com']);
    expect(state.users.length).toBeGreaterThan(3000);
    expect(sim.user('48569348493401200')?.email).toBe('joe@gmail.com');
    expect(sim.user('1234567890123456789')?.email).toBe('omar.huge@example.com');
    const me = await call(sim, 'GET', '/users/me', admin);
    expect(me.json).toMatchObject({ email: 'ada.admin@example.com', admin: true });
  });

  it('has the users CI deactivates (4583173393803140, sam.lee@example.com) active and deactivatable', async () => {
    sim = await startSimulator({ seedFile: EXAMPLE_ORG });
    const sam = await call(sim, 'GET', '/users?email=sam.lee@example.com', admin);
    expect(sam.json.data[0].status).toBe('ACTIVE');
    expect((await deactivate(sim, '4583173393803140')).status).toBe(200);
    expect((await deactivate(sim, String(sam.exact.data[0].id))).status).toBe(200);
  });

  it.each([
    ['48569348493401200', 1359],
    ['7726193384011204', 5697],
    ['8120040955232132', 1004],
    ['8920455012443524', 1335],
    ['3940112239985540', 1004],
    ['1000000000000001', 1336],
    ['5928374650192834', 1188],
    ['6102938475610293', 1188],
  ])('refuses to deactivate its special user %s with %i', async (id, errorCode) => {
    sim = await startSimulator({ seedFile: EXAMPLE_ORG });
    expect((await deactivate(sim, id)).json.errorCode).toBe(errorCode);
  });

  it('lets the recently deactivated user back in, but not the one gone 400 days', async () => {
    sim = await startSimulator({ seedFile: EXAMPLE_ORG });
    expect((await call(sim, 'POST', '/users/5928374650192834/reactivate', admin)).status).toBe(200);
    expectError(await call(sim, 'POST', '/users/5928374650192835/reactivate', admin), 403, 1004);
  });

  it('has a non-admin token and an expired one', async () => {
    sim = await startSimulator({ seedFile: EXAMPLE_ORG });
    expectError(await call(sim, 'POST', '/users/4583173393803140/deactivate', 'demo-user-token'), 403, 1004);
    expectError(await call(sim, 'GET', '/users/me', 'demo-expired-token'), 401, 1003);
  });
});

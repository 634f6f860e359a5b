import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.js';
import { ADMIN_TOKEN, call, expectError, IDS, startTestSimulator, testSeed } from './helpers.js';

// What a client must survive although Smartsheet's documents do not promise it: proxies in front of
// the API, codes the client does not know, spec-breaking fields, and child organizations.
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const CHILD_ID = '2001';

async function startWithUsers(users: NonNullable<ReturnType<typeof testSeed>['users']>): Promise<Simulator> {
  const seed = testSeed();
  return startTestSimulator({ seed: { ...seed, users: [...seed.users!, ...users] } });
}

describe('gateway faults', () => {
  it.each([
    ['gateway-502', 502, 'text/html', /502 Bad Gateway/],
    ['gateway-503', 503, 'text/html', /503 Service Temporarily Unavailable/],
    ['gateway-504', 504, 'text/plain', /^$/],
  ] as const)(
    '%s answers %i with a %s body that is not Smartsheet JSON',
    async (fault, status, type, body) => {
      sim = await startTestSimulator();
      sim.failNext({ fault, endpoint: 'deactivateUser' });
      const answer = await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN);
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toBe(type);
      expect(answer.text).toMatch(body);
      expect(answer.json).toBeUndefined();
      expect(sim.user(IDS.carol)?.status).toBe('ACTIVE');
      expect(sim.journal()[0]).toMatchObject({ status, fault });
      expect(sim.journal()[0]?.errorCode).toBeUndefined();
    },
  );

  it('a late 504 deactivates anyway (the proxy gave up, Smartsheet did the work)', async () => {
    sim = await startTestSimulator();
    sim.failNext({ fault: 'gateway-504', endpoint: 'deactivateUser', afterApplying: true });
    expect((await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN)).status).toBe(504);
    expect(sim.user(IDS.carol)?.status).toBe('DEACTIVATED');
  });

  it('can be drawn at random like the other faults', async () => {
    sim = await startTestSimulator({ faults: { rates: { 'gateway-502': 1 } } });
    expect((await call(sim, 'GET', '/users/me', ADMIN_TOKEN)).status).toBe(502);
  });
});

describe('scripted answers (failNext fault answer)', () => {
  it('answers any Smartsheet-shaped error, e.g. a code a client does not know', async () => {
    sim = await startTestSimulator();
    const answer = { status: 403, errorCode: 1361, message: 'This action is restricted by an SSO Policy.' };
    sim.failNext({ fault: 'answer', answer, endpoint: 'deactivateUser', userId: IDS.carol });
    const refused = await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN);
    expectError(refused, 403, 1361);
    expect(refused.json?.message).toBe(answer.message);
    expect(sim.user(IDS.carol)?.status).toBe('ACTIVE');
  });

  it('refuses an answer without a status, errorCode or message, naming the field', async () => {
    sim = await startTestSimulator();
    expect(() => sim!.failNext({ fault: 'answer' })).toThrow(/failNext\.answer /);
    expect(() =>
      sim!.failNext({ fault: 'answer', answer: { status: 200, errorCode: 1, message: 'x' } }),
    ).toThrow(/failNext\.answer\.status 200: an HTTP error status/);
  });
});

describe('wire overrides (a server that breaks the spec)', () => {
  it('sends the given fields as they are, in the list and the profile, and null leaves one out', async () => {
    sim = await startWithUsers([
      { id: '2002', email: 'typed@example.com', name: 'Wrong Type', wire: { admin: 'true', groupAdmin: 1 } },
      { id: '2003', email: 'noemail@example.com', name: 'No Email', wire: { email: null } },
    ]);
    const list = await call(sim, 'GET', '/users?pageSize=2000', ADMIN_TOKEN);
    const data = list.json?.data as Record<string, unknown>[];
    const typed = data.find((user) => String(user.id) === '2002');
    expect(typed).toMatchObject({ admin: 'true', groupAdmin: 1 });
    const noEmail = data.find((user) => String(user.id) === '2003');
    expect(noEmail).not.toHaveProperty('email');
    expect((await call(sim, 'GET', '/users/2002', ADMIN_TOKEN)).json).toMatchObject({ admin: 'true' });
    // The record itself keeps its email: filters still find it (the server knows it, it just does not say it).
    expect(sim.user('2003')?.email).toBe('noemail@example.com');
  });

  it('refuses a wire that is not a mapping', async () => {
    await expect(
      startWithUsers([
        { id: '2002', email: 'x@example.com', wire: 'admin' as unknown as Record<string, unknown> },
      ]),
    ).rejects.toThrow(/users\[15\]\.wire "admin": a mapping/);
  });
});

describe('Enterprise Plan Manager child organizations', () => {
  it('a child-organization user is not in the list, has a profile and can be deactivated', async () => {
    sim = await startWithUsers([
      { id: CHILD_ID, email: 'kid@child.example.com', name: 'Kim Child', childOrganization: true },
    ]);
    const list = await call(sim, 'GET', '/users?pageSize=2000', ADMIN_TOKEN);
    expect((list.json!.data as { id: unknown }[]).map((user) => String(user.id))).not.toContain(CHILD_ID);
    const byEmail = await call(sim, 'GET', '/users?email=kid@child.example.com', ADMIN_TOKEN);
    expect(byEmail.json).toMatchObject({ totalCount: 0, data: [] });
    expect((await call(sim, 'GET', `/users/${CHILD_ID}`, ADMIN_TOKEN)).json).toMatchObject({
      email: 'kid@child.example.com',
    });
    expect((await call(sim, 'POST', `/users/${CHILD_ID}/deactivate`, ADMIN_TOKEN)).status).toBe(200);
    expect(sim.user(CHILD_ID)?.status).toBe('DEACTIVATED');
  });
});

describe('non-active users', () => {
  it.each([
    ['PENDING', IDS.pending],
    ['DECLINED', '2004'],
  ])('deactivating a %s user answers 403/1188', async (_status, id) => {
    sim = await startWithUsers([
      { id: '2004', email: 'declined@example.com', name: 'Dee Clined', status: 'DECLINED' },
    ]);
    expectError(await call(sim, 'POST', `/users/${id}/deactivate`, ADMIN_TOKEN), 403, 1188);
  });
});

describe('scripted results (failNext fault result)', () => {
  it('answers a deactivation with 200 and the given result, changing nothing', async () => {
    sim = await startTestSimulator();
    const result = { message: 'PARTIAL_SUCCESS', resultCode: 0 };
    sim.failNext({ fault: 'result', result, endpoint: 'deactivateUser' });
    const answer = await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(result);
    expect(sim.user(IDS.carol)?.status).toBe('ACTIVE');
  });

  it('is only for deactivate and reactivate', async () => {
    sim = await startTestSimulator();
    expect(() => sim!.failNext({ fault: 'result', result: { message: 'SUCCESS', resultCode: 0 } })).toThrow(
      /failNext\.endpoint undefined: deactivateUser or reactivateUser/,
    );
  });
});

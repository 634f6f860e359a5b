import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import {
  ADMIN_TOKEN,
  BIG_ID,
  call,
  expectError,
  IDS,
  startTestSimulator,
  UNSAFE_ID,
  USER_TOKEN,
} from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(() => sim.stop());

describe('GET /users', () => {
  it('lists every user of the org, 100 per page by default, with admin fields for a System Admin', async () => {
    const result = await call(sim, 'GET', '/users', ADMIN_TOKEN);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^application\/json/);
    expect(result.json).toMatchObject({ pageNumber: 1, pageSize: 100, totalPages: 1, totalCount: 15 });
    const carol = result.json.data.find((user: { email: string }) => user.email === 'Carol.Case@Example.com');
    expect(carol).toEqual({
      id: 1003,
      email: 'Carol.Case@Example.com',
      name: 'Carol Case',
      firstName: 'Carol',
      lastName: 'Case',
      admin: false,
      groupAdmin: false,
      licensedSheetCreator: true,
      resourceViewer: false,
      status: 'ACTIVE',
      isInternal: true,
      sheetCount: -1,
    });
    const judy = result.json.data.find((user: { id: number }) => user.id === 1010);
    expect(judy.status).toBe('DEACTIVATED');
    expect(judy).not.toHaveProperty('sheetCount');
  });

  it('leaves out status and the admin-only fields for a caller who is not a System Admin', async () => {
    const result = await call(sim, 'GET', '/users', USER_TOKEN);
    expect(result.status).toBe(200);
    for (const user of result.json.data) {
      expect(Object.keys(user).sort()).toEqual(['email', 'firstName', 'id', 'lastName', 'name']);
    }
  });

  it('writes IDs above 2^53 as bare JSON numbers with every digit', async () => {
    const result = await call(sim, 'GET', '/users', ADMIN_TOKEN);
    expect(result.text).toContain(`"id":${BIG_ID},`);
    expect(result.text).toContain(`"id":${UNSAFE_ID},`);
    const ids = result.exact.data.map((user: { id: number | bigint }) => String(user.id));
    expect(ids).toContain(BIG_ID);
    expect(ids).toContain(UNSAFE_ID);
    // What a careless client would see:
    expect(ids).not.toContain(String(JSON.parse(UNSAFE_ID)));
  });

  it('filters by a comma-separated, case-insensitive list of emails, in the org order', async () => {
    const result = await call(
      sim,
      'GET',
      `/users?email=${encodeURIComponent('BOB@example.com, carol.case@example.com,nobody@example.com')}`,
      ADMIN_TOKEN,
    );
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ pageNumber: 1, totalPages: 1, totalCount: 2 });
    expect(result.json.data.map((user: { id: number }) => String(user.id))).toEqual([IDS.plain, IDS.carol]);
  });

  it('answers an email filter that matches nobody with an empty page', async () => {
    const result = await call(sim, 'GET', '/users?email=nobody@example.com', ADMIN_TOKEN);
    expect(result.json).toEqual({ pageNumber: 1, pageSize: 100, totalPages: 0, totalCount: 0, data: [] });
  });

  it('decodes + in a query as a space, so a client must percent-encode it', async () => {
    const plus = await startSimulator({
      seed: { tokens: { t: '1' }, users: [{ id: '1', email: 'a+b@example.com', admin: true }] },
    });
    try {
      expect((await call(plus, 'GET', '/users?email=a+b@example.com', 't')).json.totalCount).toBe(0);
      expect((await call(plus, 'GET', '/users?email=a%2Bb@example.com', 't')).json.totalCount).toBe(1);
    } finally {
      await plus.stop();
    }
  });

  it('pages with page and pageSize, and answers a page past the end with the last page', async () => {
    const second = await call(sim, 'GET', '/users?page=2&pageSize=4', ADMIN_TOKEN);
    expect(second.json).toMatchObject({ pageNumber: 2, pageSize: 4, totalPages: 4, totalCount: 15 });
    expect(second.json.data.map((user: { id: number }) => String(user.id))).toEqual([
      IDS.directory,
      IDS.external,
      IDS.notMember,
      IDS.otherDomain,
    ]);
    const pastEnd = await call(sim, 'GET', '/users?page=99&pageSize=4', ADMIN_TOKEN);
    expect(pastEnd.json).toMatchObject({ pageNumber: 4, totalPages: 4 });
    expect(pastEnd.json.data).toHaveLength(3);
  });

  it('accepts pageSize 2000 and refuses 2001 with 400/1229', async () => {
    expect((await call(sim, 'GET', '/users?pageSize=2000', ADMIN_TOKEN)).status).toBe(200);
    const tooBig = await call(sim, 'GET', '/users?pageSize=2001', ADMIN_TOKEN);
    expectError(tooBig, 400, 1229);
    expect(tooBig.json.message).toBe(
      "The value '2001' was not valid for the parameter 'pageSize'. The value must be between '1' and '2000'.",
    );
    expectError(await call(sim, 'GET', '/users?pageSize=0', ADMIN_TOKEN), 400, 1229);
    expectError(await call(sim, 'GET', '/users?page=0', ADMIN_TOKEN), 400, 1229);
    expectError(await call(sim, 'GET', '/users?pageSize=ten', ADMIN_TOKEN), 400, 1018);
    expectError(await call(sim, 'GET', '/users?page=1.5', ADMIN_TOKEN), 400, 1018);
  });

  it('reads page up to 2147483647 and refuses a page beyond it with 400/1229', async () => {
    expect((await call(sim, 'GET', '/users?page=2147483647', ADMIN_TOKEN)).json).toMatchObject({
      pageNumber: 1,
    });
    const beyond = await call(sim, 'GET', '/users?page=2147483648', ADMIN_TOKEN);
    expectError(beyond, 400, 1229);
    expect(beyond.json.message).toBe(
      "The value '2147483648' was not valid for the parameter 'page'. The value must be between '1' and '2147483647'.",
    );
  });

  it('still honours the deprecated includeAll=true: every user on one page, no pageSize', async () => {
    const result = await call(sim, 'GET', '/users?includeAll=true&pageSize=2', ADMIN_TOKEN);
    expect(result.json).toMatchObject({ pageNumber: 1, totalPages: 1, totalCount: 15 });
    expect(result.json).not.toHaveProperty('pageSize');
    expect(result.json.data).toHaveLength(15);
  });
});

describe('GET /users/me and /users/{userId}', () => {
  it('returns the caller as a UserProfile with its admin flag', async () => {
    const result = await call(sim, 'GET', '/users/me', ADMIN_TOKEN);
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ id: 1001, email: 'alice.admin@example.com', admin: true });
    expect(result.json).not.toHaveProperty('status');
    expect(result.text).toContain('"account":{"id":8000000000000001,');
    const plain = await call(sim, 'GET', '/users/me', USER_TOKEN);
    expect(plain.json).toMatchObject({ id: 1002, admin: false, firstName: 'Bob', lastName: 'Plain' });
  });

  it('returns another user as a UserProfile without status, exact above 2^53', async () => {
    const result = await call(sim, 'GET', `/users/${BIG_ID}`, ADMIN_TOKEN);
    expect(result.status).toBe(200);
    expect(result.text.startsWith(`{"id":${BIG_ID},`)).toBe(true);
    expect(result.json).toMatchObject({ email: 'big.id@example.com', admin: false, firstName: 'Big' });
    expect(result.json).not.toHaveProperty('status');
    const deactivated = await call(sim, 'GET', `/users/${IDS.deactivatedRecently}`, ADMIN_TOKEN);
    expect(deactivated.json).not.toHaveProperty('status');
  });

  it('hides the admin fields of another user from a caller who is not a System Admin', async () => {
    const result = await call(sim, 'GET', `/users/${IDS.admin}`, USER_TOKEN);
    expect(result.status).toBe(200);
    expect(result.json).not.toHaveProperty('admin');
  });

  it('answers an unknown user with 404/1020 and a malformed ID with 404/1006', async () => {
    expectError(await call(sim, 'GET', '/users/424242', ADMIN_TOKEN), 404, 1020);
    expectError(await call(sim, 'GET', '/users/12ab', ADMIN_TOKEN), 404, 1006);
    expectError(await call(sim, 'GET', '/users/-5', ADMIN_TOKEN), 404, 1006);
    expectError(await call(sim, 'GET', '/users/1e5', ADMIN_TOKEN), 404, 1006);
    expectError(await call(sim, 'GET', '/users/99999999999999999999', ADMIN_TOKEN), 404, 1006);
    expectError(await call(sim, 'POST', '/users/abc/deactivate', ADMIN_TOKEN), 404, 1006);
  });
});

describe('routing', () => {
  it('answers an unknown path with 404/1006 and another API version with 404/1007', async () => {
    expectError(await call(sim, 'GET', '/sheets', ADMIN_TOKEN), 404, 1006);
    expectError(await call(sim, 'GET', '/users/1001/groups', ADMIN_TOKEN), 404, 1006);
    expectError(await call(sim, 'POST', `/users/${IDS.carol}/delete`, ADMIN_TOKEN), 404, 1006);
    const oldVersion = await fetch(`${sim.origin}/1.1/users`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(oldVersion.status).toBe(404);
    expect(((await oldVersion.json()) as { errorCode: number }).errorCode).toBe(1007);
  });

  it('answers a wrong method with 405/1010 and an Allow header', async () => {
    const post = await call(sim, 'POST', '/users', ADMIN_TOKEN);
    expectError(post, 405, 1010);
    expect(post.headers.get('allow')).toBe('GET');
    const get = await call(sim, 'GET', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN);
    expectError(get, 405, 1010);
    expect(get.headers.get('allow')).toBe('POST');
    expectError(await call(sim, 'DELETE', `/users/${IDS.carol}`, ADMIN_TOKEN), 405, 1010);
    expect(sim.user(IDS.carol)?.status).toBe('ACTIVE');
  });
});

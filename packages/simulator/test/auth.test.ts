import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.js';
import { ADMIN_TOKEN, call, EXPIRED_TOKEN, expectError, IDS, startTestSimulator } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(() => sim.stop());

const paths: Array<[string, string]> = [
  ['GET', '/users'],
  ['GET', '/users/me'],
  ['GET', `/users/${IDS.carol}`],
  ['POST', `/users/${IDS.carol}/deactivate`],
  ['POST', `/users/${IDS.deactivatedRecently}/reactivate`],
];

describe.each(paths)('%s %s authentication', (method, path) => {
  it('answers a missing token with 401/1001', async () => {
    expectError(await call(sim, method, path), 401, 1001);
    expectError(await call(sim, method, path, undefined, { authorization: 'Basic abc' }), 401, 1001);
  });

  it('answers an unknown token with 401/1002', async () => {
    expectError(await call(sim, method, path, 'not-a-known-token'), 401, 1002);
  });

  it('answers an expired token with 401/1003', async () => {
    expectError(await call(sim, method, path, EXPIRED_TOKEN), 401, 1003);
  });
});

describe('token handling', () => {
  it('accepts the Bearer scheme in any case', async () => {
    const result = await call(sim, 'GET', '/users/me', undefined, { authorization: `bearer ${ADMIN_TOKEN}` });
    expect(result.status).toBe(200);
  });

  it('changes nothing when authentication fails', async () => {
    await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, EXPIRED_TOKEN);
    expect(sim.user(IDS.carol)?.status).toBe('ACTIVE');
  });

  it('never echoes the token in a body or header', async () => {
    const secret = 'super-secret-token-value';
    const result = await call(sim, 'GET', '/users', secret);
    expect(result.text).not.toContain(secret);
    expect([...result.headers.values()].join(' ')).not.toContain(secret);
  });
});

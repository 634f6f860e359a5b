import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.js';
import { RateLimiter } from '../src/rate-limit.js';
import { ADMIN_TOKEN, call, expectError, SECOND_ADMIN_TOKEN, startTestSimulator } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function burst(s: Simulator, token: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index++)
    statuses.push((await call(s, 'GET', '/users/me', token)).status);
  return statuses;
}

describe('per-token rate limit', () => {
  it('answers the request over the limit with 429/4003 and no Retry-After by default', async () => {
    sim = await startTestSimulator({ requestsPerMinute: 5 });
    expect(await burst(sim, ADMIN_TOKEN, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await call(sim, 'GET', '/users/me', ADMIN_TOKEN);
    expectError(limited, 429, 4003);
    expect(limited.json.message).toBe('Rate limit exceeded.');
    expect(limited.headers.get('retry-after')).toBeNull();
  });

  it('counts each token separately', async () => {
    sim = await startTestSimulator({ requestsPerMinute: 3 });
    expect(await burst(sim, ADMIN_TOKEN, 4)).toEqual([200, 200, 200, 429]);
    expect(await burst(sim, SECOND_ADMIN_TOKEN, 3)).toEqual([200, 200, 200]);
  });

  // A window of a whole second keeps the burst inside it even on a loaded machine.
  it('frees slots as the (scaled) minute rolls on: timeScale 60 makes it 1 s', async () => {
    sim = await startTestSimulator({ requestsPerMinute: 4, timeScale: 60 });
    expect(await burst(sim, ADMIN_TOKEN, 5)).toEqual([200, 200, 200, 200, 429]);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect(await burst(sim, ADMIN_TOKEN, 4)).toEqual([200, 200, 200, 200]);
  });

  it('sends Retry-After only when configured: fixed seconds, or auto', async () => {
    sim = await startTestSimulator({ requestsPerMinute: 1, retryAfterSeconds: 7 });
    await burst(sim, ADMIN_TOKEN, 1);
    expect((await call(sim, 'GET', '/users/me', ADMIN_TOKEN)).headers.get('retry-after')).toBe('7');
    await sim.stop();
    sim = await startTestSimulator({ requestsPerMinute: 1, retryAfterSeconds: 'auto' });
    await burst(sim, ADMIN_TOKEN, 1);
    const seconds = Number((await call(sim, 'GET', '/users/me', ADMIN_TOKEN)).headers.get('retry-after'));
    expect(seconds).toBeGreaterThanOrEqual(59);
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it('does not count refused requests, and a refused deactivation changes nothing', async () => {
    sim = await startTestSimulator({ requestsPerMinute: 2 });
    await burst(sim, ADMIN_TOKEN, 2);
    const refused = await call(sim, 'POST', '/users/1003/deactivate', ADMIN_TOKEN);
    expect(refused.status).toBe(429);
    expect(sim.user('1003')?.status).toBe('ACTIVE');
  });

  it('is 300 per minute by default', async () => {
    sim = await startTestSimulator();
    expect(sim.state().rateLimit).toEqual({ requestsPerMinute: 300, timeScale: 1, windowMs: 60_000 });
  });

  it('refuses nonsense options with a message naming them', async () => {
    await expect(startTestSimulator({ timeScale: 0 })).rejects.toThrow(/timeScale 0/);
    await expect(startTestSimulator({ requestsPerMinute: 2.5 })).rejects.toThrow(/requestsPerMinute 2.5/);
    await expect(startTestSimulator({ retryAfterSeconds: -1 })).rejects.toThrow(/retryAfterSeconds -1/);
  });
});

describe('RateLimiter window', () => {
  it('accepts exactly N per rolling window, the oldest slot freeing first', () => {
    const limiter = new RateLimiter(3, 1);
    expect([0, 10, 20, 30].map((time) => limiter.take('t', time))).toEqual([true, true, true, false]);
    expect(limiter.take('t', 59_999)).toBe(false);
    expect(limiter.take('t', 60_000)).toBe(true);
    expect(limiter.take('t', 60_005)).toBe(false);
    expect(limiter.take('t', 60_010)).toBe(true);
    expect(limiter.secondsUntilFree('t', 60_010)).toBe(1);
  });
});

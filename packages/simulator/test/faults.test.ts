import { afterEach, describe, expect, it } from 'vitest';
import type { FaultOptions, Simulator } from '../src/index.js';
import { ADMIN_TOKEN, call, expectError, IDS, startTestSimulator } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function statuses(s: Simulator, count: number, path = '/users/me'): Promise<number[]> {
  const seen: number[] = [];
  for (let index = 0; index < count; index++) seen.push((await call(s, 'GET', path, ADMIN_TOKEN)).status);
  return seen;
}

describe('scripted faults (failNext)', () => {
  it.each([
    ['4004', 500],
    ['4002', 500],
    ['4000', 500],
    ['4001', 503],
    ['429', 429],
  ] as const)('answers the next matching request with %s, changing nothing', async (fault, status) => {
    sim = await startTestSimulator();
    sim.failNext({ fault, endpoint: 'deactivateUser', userId: IDS.carol });
    expect((await call(sim, 'GET', '/users/me', ADMIN_TOKEN)).status).toBe(200);
    expect((await call(sim, 'POST', `/users/${IDS.plain}/deactivate`, ADMIN_TOKEN)).status).toBe(200);
    const failed = await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN);
    expectError(failed, status, fault === '429' ? 4003 : Number(fault));
    expect(sim.user(IDS.carol)?.status).toBe('ACTIVE');
    expect((await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN)).status).toBe(200);
    expect(sim.journal().map((entry) => entry.fault)).toEqual([undefined, undefined, fault, undefined]);
  });

  it('fails `count` requests in a row', async () => {
    sim = await startTestSimulator();
    sim.failNext({ fault: '4004', count: 3 });
    expect(await statuses(sim, 4)).toEqual([500, 500, 500, 200]);
  });

  it('resets the connection: the client sees a network error, not an HTTP answer', async () => {
    sim = await startTestSimulator();
    sim.failNext({ fault: 'reset', endpoint: 'deactivateUser' });
    await expect(call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN)).rejects.toThrow();
    expect(sim.user(IDS.carol)?.status).toBe('ACTIVE');
    expect(sim.journal()[0]).toMatchObject({ status: 0, fault: 'reset' });
    expect((await call(sim, 'GET', '/users/me', ADMIN_TOKEN)).status).toBe(200);
  });

  it('holds a slow answer back for slowMs, then answers normally', async () => {
    sim = await startTestSimulator({ faults: { slowMs: 150 } });
    sim.failNext({ fault: 'slow' });
    const started = performance.now();
    const result = await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(result.status).toBe(200);
    expect(sim.journal()[0]).toMatchObject({ status: 200, fault: 'slow' });
  });

  it('can be scripted over HTTP', async () => {
    sim = await startTestSimulator();
    const response = await fetch(`${sim.origin}/__simulator/fail-next`, {
      method: 'POST',
      body: JSON.stringify({ fault: '4001', count: 2 }),
    });
    expect(response.status).toBe(200);
    expect(await statuses(sim, 3)).toEqual([503, 503, 200]);
    const bad = await fetch(`${sim.origin}/__simulator/fail-next`, {
      method: 'POST',
      body: '{"fault":"boom"}',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('failNext.fault');
  });
});

describe('random faults', () => {
  const faults: FaultOptions = { seed: 42, rates: { '4004': 0.2, '4001': 0.1, '4000': 0.05, '4002': 0.05 } };

  it('are deterministic from the seed', async () => {
    sim = await startTestSimulator({ faults, requestsPerMinute: Number.POSITIVE_INFINITY });
    const first = await statuses(sim, 60);
    sim.reset();
    const again = await statuses(sim, 60);
    expect(again).toEqual(first);
    sim.setFaults({ ...faults, seed: 43 });
    expect(await statuses(sim, 60)).not.toEqual(first);
  });

  it('occur at about the configured rates and carry the right errorCodes', async () => {
    sim = await startTestSimulator({ faults, requestsPerMinute: Number.POSITIVE_INFINITY });
    await statuses(sim, 400);
    const codes = sim.journal().map((entry) => entry.errorCode ?? 0);
    const share = (code: number) => codes.filter((value) => value === code).length / codes.length;
    expect(share(4004)).toBeGreaterThan(0.12);
    expect(share(4004)).toBeLessThan(0.28);
    expect(share(4001)).toBeGreaterThan(0.04);
    expect(share(4001)).toBeLessThan(0.16);
    expect(share(0)).toBeGreaterThan(0.5);
    expect(new Set(codes)).toEqual(new Set([0, 4000, 4001, 4002, 4004]));
  });

  it('apply only to the chosen endpoints', async () => {
    sim = await startTestSimulator({ faults: { rates: { '4004': 1 }, endpoints: ['deactivateUser'] } });
    expect(await statuses(sim, 3)).toEqual([200, 200, 200]);
    expectError(await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN), 500, 4004);
  });

  it('can be changed at runtime, in code and over HTTP', async () => {
    sim = await startTestSimulator();
    sim.setFaults({ rates: { '4002': 1 } });
    expectError(await call(sim, 'GET', '/users/me', ADMIN_TOKEN), 500, 4002);
    const response = await fetch(`${sim.origin}/__simulator/faults`, { method: 'PUT', body: '{}' });
    expect(response.status).toBe(200);
    expect((await call(sim, 'GET', '/users/me', ADMIN_TOKEN)).status).toBe(200);
  });

  it('refuses impossible settings with a message naming them', async () => {
    await expect(startTestSimulator({ faults: { rates: { '4004': 0.7, '4001': 0.5 } } })).rejects.toThrow(
      /faults\.rates .*at most 1/,
    );
    await expect(
      startTestSimulator({ faults: { rates: { '5000': 0.1 } as FaultOptions['rates'] } }),
    ).rejects.toThrow(/faults\.rates "5000"/);
    await expect(
      startTestSimulator({ faults: { storms: [{ durationMs: 10, status: 404 as 429 }] } }),
    ).rejects.toThrow(/storms\[\]\.status 404/);
  });
});

// Storms run on the simulator's real clock: they last a second so the requests meant to land inside
// one do so even on a loaded machine, and the waits outlast them by a margin.
describe('storms', () => {
  it('make every request fail for a while, then stop', async () => {
    sim = await startTestSimulator({ faults: { storms: [{ startMs: 0, durationMs: 1_000, status: 500 }] } });
    expectError(await call(sim, 'GET', '/users/me', ADMIN_TOKEN), 500, 4004);
    expectError(await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN), 500, 4004);
    expect(sim.user(IDS.carol)?.status).toBe('ACTIVE');
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await call(sim, 'GET', '/users/me', ADMIN_TOKEN)).status).toBe(200);
    expect(sim.journal().map((entry) => entry.fault)).toEqual(['storm', 'storm', undefined]);
  });

  it('start after startMs and answer 429/4003 by default, with Retry-After when configured', async () => {
    sim = await startTestSimulator({ retryAfterSeconds: 2 });
    sim.setFaults({ storms: [{ startMs: 1_000, durationMs: 10_000 }] });
    expect((await call(sim, 'GET', '/users/me', ADMIN_TOKEN)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    const stormy = await call(sim, 'GET', '/users/me', ADMIN_TOKEN);
    expectError(stormy, 429, 4003);
    expect(stormy.headers.get('retry-after')).toBe('2');
  });

  it("with retryAfterSeconds 'auto', a 429 storm's Retry-After is the time left in it", async () => {
    sim = await startTestSimulator({
      retryAfterSeconds: 'auto',
      faults: { storms: [{ durationMs: 4_500 }] },
    });
    const stormy = await call(sim, 'GET', '/users/me', ADMIN_TOKEN);
    expectError(stormy, 429, 4003);
    // 4.5 s left, rounded up; a loaded machine may take a moment to get there.
    expect(['4', '5']).toContain(stormy.headers.get('retry-after'));
  });

  it('can answer 503/4001 or a chosen 500 errorCode', async () => {
    sim = await startTestSimulator({ faults: { storms: [{ durationMs: 10_000, status: 503 }] } });
    expectError(await call(sim, 'GET', '/users', ADMIN_TOKEN), 503, 4001);
    sim.setFaults({ storms: [{ durationMs: 10_000, status: 500, errorCode: 4002 }] });
    expectError(await call(sim, 'GET', '/users', ADMIN_TOKEN), 500, 4002);
  });
});

describe('faults after applying (the work was done, the answer was lost)', () => {
  it('a late 4002 deactivates anyway; the retry then meets an already deactivated user', async () => {
    sim = await startTestSimulator();
    sim.failNext({ fault: '4002', endpoint: 'deactivateUser', afterApplying: true });
    expectError(await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN), 500, 4002);
    expect(sim.user(IDS.carol)?.status).toBe('DEACTIVATED');
    expectError(await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN), 403, 1188);
    expect(sim.journal().map((entry) => [entry.fault, entry.applied])).toEqual([
      ['4002', true],
      [undefined, undefined],
    ]);
  });

  it('a late reset reactivates anyway', async () => {
    sim = await startTestSimulator();
    sim.failNext({ fault: 'reset', afterApplying: true });
    await expect(
      call(sim, 'POST', `/users/${IDS.deactivatedRecently}/reactivate`, ADMIN_TOKEN),
    ).rejects.toThrow();
    expect(sim.user(IDS.deactivatedRecently)?.status).toBe('ACTIVE');
    expect(sim.journal()[0]).toMatchObject({ status: 0, fault: 'reset', applied: true });
  });

  it('does not strike when the request is refused, nor on reads', async () => {
    sim = await startTestSimulator({ faults: { rates: { '4004': 1 }, afterApplying: true } });
    expectError(await call(sim, 'POST', `/users/${IDS.isp}/deactivate`, ADMIN_TOKEN), 403, 1359);
    expectError(await call(sim, 'GET', '/users/me', ADMIN_TOKEN), 500, 4004);
    expectError(await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN), 500, 4004);
    expect(sim.user(IDS.carol)?.status).toBe('DEACTIVATED');
    expect(sim.journal().map((entry) => entry.applied ?? false)).toEqual([false, false, true]);
    expect(sim.journal()[0]!.fault).toBeUndefined();
  });

  it('is refused for faults a gateway answers before the work (429, 4001)', async () => {
    sim = await startTestSimulator();
    expect(() => sim?.failNext({ fault: '4001', afterApplying: true })).toThrow(/failNext\.afterApplying/);
    expect(() => sim?.failNext({ fault: '429', afterApplying: true })).toThrow(/failNext\.afterApplying/);
  });
});

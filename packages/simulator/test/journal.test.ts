import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEntry, Simulator } from '../src/index.js';
import { ADMIN_TOKEN, call, IDS, NOW, startTestSimulator } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('request journal', () => {
  it('records method, path, query, redacted headers, body, status, time, endpoint, user and caller', async () => {
    sim = await startTestSimulator();
    await call(sim, 'GET', '/users?email=bob%40example.com&pageSize=5', ADMIN_TOKEN, {
      'x-request-id': 'r1',
    });
    await fetch(`${sim.url}/users/${IDS.carol}/deactivate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{"note":"x"}',
    });
    await call(sim, 'POST', `/users/${IDS.isp}/deactivate`, ADMIN_TOKEN);
    const [list, deactivation, refused] = sim.journal();
    expect(list).toMatchObject({
      seq: 1,
      method: 'GET',
      path: '/2.0/users',
      query: { email: 'bob@example.com', pageSize: '5' },
      status: 200,
      time: NOW,
      endpoint: 'listUsers',
      callerId: IDS.admin,
    });
    expect(list!.headers['x-request-id']).toBe('r1');
    expect(list!.headers.authorization).toBe('Bearer [redacted]');
    expect(deactivation).toMatchObject({
      seq: 2,
      method: 'POST',
      body: '{"note":"x"}',
      endpoint: 'deactivateUser',
      userId: IDS.carol,
      status: 200,
    });
    expect(refused).toMatchObject({ status: 403, errorCode: 1359, userId: IDS.isp });
    expect(JSON.stringify(sim.journal())).not.toContain(ADMIN_TOKEN);
  });

  it('is readable, incrementally and without the token, at GET /__simulator/requests', async () => {
    sim = await startTestSimulator();
    await call(sim, 'GET', '/users/me', ADMIN_TOKEN);
    await call(sim, 'GET', '/nowhere', ADMIN_TOKEN);
    const response = await fetch(`${sim.origin}/__simulator/requests`);
    const text = await response.text();
    expect(text).not.toContain(ADMIN_TOKEN);
    const { requests } = JSON.parse(text) as { requests: JournalEntry[] };
    expect(requests.map((entry) => [entry.path, entry.status])).toEqual([
      ['/2.0/users/me', 200],
      ['/2.0/nowhere', 404],
    ]);
    const since = (await (await fetch(`${sim.origin}/__simulator/requests?since=1`)).json()) as {
      requests: JournalEntry[];
    };
    expect(since.requests.map((entry) => entry.seq)).toEqual([2]);
    const mistyped = await fetch(`${sim.origin}/__simulator/requests?since=one`);
    expect(mistyped.status).toBe(400);
    expect(((await mistyped.json()) as { message: string }).message).toContain('Invalid since "one"');
    await fetch(`${sim.origin}/__simulator/requests`, { method: 'DELETE' });
    expect(sim.journal()).toEqual([]);
  });

  it('does not journal control requests', async () => {
    sim = await startTestSimulator();
    await fetch(`${sim.origin}/__simulator/state`);
    expect(sim.journal()).toHaveLength(0);
  });
});

describe('state, reset and dump', () => {
  it('keeps state for the life of the server; reset() restores the seed and clears the journal', async () => {
    sim = await startTestSimulator();
    await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN);
    expect(sim.state().counts).toEqual({ ACTIVE: 11, DEACTIVATED: 3, PENDING: 1, DECLINED: 0 });
    sim.reset();
    expect(sim.user(IDS.carol)?.status).toBe('ACTIVE');
    expect(sim.journal()).toEqual([]);
  });

  it('exposes the dump, one user and reset over HTTP, IDs as strings and no tokens', async () => {
    sim = await startTestSimulator();
    await call(sim, 'POST', `/users/${IDS.big}/deactivate`, ADMIN_TOKEN);
    const dumpText = await (await fetch(`${sim.origin}/__simulator/state`)).text();
    expect(dumpText).not.toContain(ADMIN_TOKEN);
    const dump = JSON.parse(dumpText);
    expect(dump.users.find((user: { id: string }) => user.id === IDS.big).status).toBe('DEACTIVATED');
    expect(dump.requests).toBe(1);
    const user = await (await fetch(`${sim.origin}/__simulator/users/${IDS.big}`)).json();
    expect(user).toMatchObject({
      id: IDS.big,
      status: 'DEACTIVATED',
      deactivatedAt: new Date(NOW).toISOString(),
    });
    expect((await fetch(`${sim.origin}/__simulator/reset`, { method: 'POST' })).status).toBe(200);
    expect(sim.user(IDS.big)?.status).toBe('ACTIVE');
    expect((await fetch(`${sim.origin}/__simulator/users/999`)).status).toBe(404);
  });
});

describe('under concurrency', () => {
  it('applies 60 parallel deactivations exactly once each and journals every request', async () => {
    sim = await startTestSimulator({
      seed: {
        planDomains: ['example.com'],
        tokens: { [ADMIN_TOKEN]: IDS.admin },
        users: [{ id: IDS.admin, email: 'admin@example.com', admin: true }],
        generated: { count: 60, idStart: '9007199254740993' },
      },
      requestsPerMinute: Number.POSITIVE_INFINITY,
    });
    const ids = Array.from({ length: 60 }, (_, index) => (9007199254740993n + BigInt(index)).toString());
    const results = await Promise.all(
      ids.map((id) => call(sim!, 'POST', `/users/${id}/deactivate`, ADMIN_TOKEN)),
    );
    expect(results.map((result) => result.status)).toEqual(Array(60).fill(200));
    expect(ids.every((id) => sim!.user(id)?.status === 'DEACTIVATED')).toBe(true);
    const journal = sim.journal();
    expect(new Set(journal.map((entry) => entry.seq)).size).toBe(60);
    expect(new Set(journal.map((entry) => entry.userId))).toEqual(new Set(ids));
  });
});

describe('stop', () => {
  it('closes the port, and a second stop is harmless', async () => {
    const started = await startTestSimulator();
    await started.stop();
    await expect(started.stop()).resolves.toBeUndefined();
    await expect(fetch(`${started.url}/users/me`)).rejects.toThrow();
  });

  it('does not wait for a slow answer in flight', async () => {
    const started = await startTestSimulator({ faults: { rates: { slow: 1 }, slowMs: 60_000 } });
    const pending = fetch(`${started.url}/users/me`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = performance.now();
    await started.stop();
    expect(performance.now() - before).toBeLessThan(5_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

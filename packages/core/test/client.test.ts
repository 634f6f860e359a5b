import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { type Seed, type SimulatorOptions, startSimulator } from '@smartsheet-offboard/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttemptEvent, CLIENT_DEFAULTS, type ClientOptions, createClient } from '../src/client.js';
import { ConfigError, SmartsheetApiError } from '../src/errors.js';
import { createPacer } from '../src/pacer.js';

const TOKEN = 'tok-CLIENT-5e4d3c2b1a09';
const EXPIRED_TOKEN = 'tok-EXPIRED-77aa66bb55';

const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

// The Smartsheet simulator (real HTTP on 127.0.0.1) for everything it can serve.

const ADMIN = '9007199254740993'; // 2^53 + 1: the first integer a JavaScript number cannot hold
const JANE = '48569348493401200';
const MAX = '9223372036854775807';
const ISP = '48569348493401201';
const SCIM = '48569348493401202';
const EXTERNAL = '48569348493401203';
const NOT_MEMBER = '48569348493401204';
const SCIM_DEACTIVATED = '48569348493401205';
const NOT_MEMBER_DEACTIVATED = '48569348493401206';
const UNKNOWN = '48569348493401299';

const SEED: Seed = {
  tokens: { [TOKEN]: ADMIN, [EXPIRED_TOKEN]: { userId: ADMIN, expired: true } },
  users: [
    { id: ADMIN, email: 'ada.admin@example.com', firstName: 'Ada', lastName: 'Admin', admin: true },
    { id: JANE, email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', groupAdmin: true },
    { id: MAX, email: 'max.gone@example.com', firstName: 'Max', lastName: 'Gone', status: 'DEACTIVATED' },
    { id: ISP, email: 'joe@gmail.com', firstName: 'Joe', lastName: 'Isp' },
    { id: SCIM, email: 'scim@example.com', firstName: 'Sam', lastName: 'Scim', directoryManaged: true },
    { id: EXTERNAL, email: 'ext@example.com', firstName: 'Eve', lastName: 'External', external: true },
    { id: NOT_MEMBER, email: 'away@example.com', firstName: 'Al', lastName: 'Away', member: false },
    {
      id: SCIM_DEACTIVATED,
      email: 'scim.off@example.com',
      firstName: 'Sid',
      lastName: 'Scim',
      directoryManaged: true,
      status: 'DEACTIVATED',
    },
    {
      id: NOT_MEMBER_DEACTIVATED,
      email: 'away.off@example.com',
      firstName: 'Bo',
      lastName: 'Away',
      member: false,
      status: 'DEACTIVATED',
    },
  ],
};

async function simulator(options: SimulatorOptions = {}) {
  const sim = await startSimulator({ seed: SEED, ...options });
  stops.push(() => sim.stop());
  return sim;
}

// A tiny in-test server only for what the simulator does not do: raw bodies (HTML, non-JSON 200,
// PARTIAL_SUCCESS), a Retry-After date, a 429 without a body, a stalled body, a token echoed back.

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void;

async function startServer(handler: Handler): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(request, response, seen.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { baseUrl: `http://127.0.0.1:${port}/2.0`, seen };
}

/** Answers each request in turn from the list (the last one repeats). */
function sequence(...answers: [status: number, body: string, headers?: Record<string, string>][]): Handler {
  return (_request, response, index) => {
    const [status, body, headers] = answers[Math.min(index, answers.length - 1)]!;
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };
}

const SUCCESS = '{"message":"SUCCESS","resultCode":0}';

/** A clock that only moves when the client sleeps; every sleep is recorded. */
function fakeTime() {
  let time = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
  };
}

/**
 * A virtual clock for concurrent callers: sleepers wake in time order, one at a time, while real
 * HTTP runs in real time. Lets pacing be asserted exactly on the virtual clock.
 */
function virtualTime() {
  let time = 0;
  const timers: { at: number; wake: () => void }[] = [];
  return {
    now: () => time,
    sleep: (ms: number) => new Promise<void>((wake) => timers.push({ at: time + ms, wake })),
    async drive<T>(work: Promise<T>): Promise<T> {
      let settled = false;
      work.then(
        () => (settled = true),
        () => (settled = true),
      );
      while (!settled) {
        await new Promise((resolve) => setTimeout(resolve, 3));
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (next) {
          time = next.at;
          next.wake();
        }
      }
      return work;
    },
  };
}

/** A client on a fake clock with no pacing to speak of, recording its attempts. */
function client(baseUrl: string, extra: Partial<ClientOptions> = {}) {
  const events: AttemptEvent[] = [];
  const api = createClient({
    token: TOKEN,
    baseUrl,
    requestsPerMinute: 60_000,
    onAttempt: (event) => events.push(event),
    ...fakeTime(),
    ...extra,
  });
  return { api, events };
}

/** A client with the library's defaults (retry budget, backoff base), except pacing and the clock. */
function createClientWith(baseUrl: string, extra: Partial<ClientOptions>) {
  return { api: createClient({ token: TOKEN, baseUrl, requestsPerMinute: 60_000, ...extra }) };
}

async function failure(promise: Promise<unknown>): Promise<SmartsheetApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SmartsheetApiError);
    return error as SmartsheetApiError;
  }
  throw new Error('expected the call to fail');
}

describe('64-bit IDs end to end (simulator)', () => {
  it('lists, gets, deactivates and reactivates users whose IDs are above 2^53, exactly', async () => {
    const sim = await simulator();
    const { api } = client(sim.url);

    expect(await api.getCurrentUser()).toMatchObject({
      id: ADMIN,
      email: 'ada.admin@example.com',
      admin: true,
    });
    const page = await api.listUsers({ emails: ['jane.doe@example.com', 'max.gone@example.com'] });
    expect(page).toMatchObject({ pageNumber: 1, totalPages: 1, totalCount: 2 });
    expect(page.data).toEqual([
      {
        id: JANE,
        email: 'jane.doe@example.com',
        name: 'Jane Doe',
        status: 'ACTIVE',
        admin: false,
        groupAdmin: true,
        licensedSheetCreator: true,
        isInternal: true,
      },
      {
        id: MAX,
        email: 'max.gone@example.com',
        name: 'Max Gone',
        status: 'DEACTIVATED',
        admin: false,
        groupAdmin: false,
        licensedSheetCreator: true,
        isInternal: true,
      },
    ]);
    expect(await api.getUser(JANE)).toMatchObject({ id: JANE, email: 'jane.doe@example.com' });

    await api.deactivateUser(JANE);
    await api.reactivateUser(MAX);
    expect(sim.user(JANE)?.status).toBe('DEACTIVATED');
    expect(sim.user(MAX)?.status).toBe('ACTIVE');
    expect(sim.journal().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'GET /2.0/users/me 200',
      'GET /2.0/users 200',
      `GET /2.0/users/${JANE} 200`,
      `POST /2.0/users/${JANE}/deactivate 200`,
      `POST /2.0/users/${MAX}/reactivate 200`,
    ]);
    expect(sim.journal()[1]?.query).toEqual({ email: 'jane.doe@example.com,max.gone@example.com' });
  });

  it('pages through the list', async () => {
    const sim = await simulator({
      seed: { ...SEED, generated: { count: 5, idStart: '48569348493401300', domain: 'example.com' } },
    });
    const page = await client(sim.url).api.listUsers({ page: 2, pageSize: 4 });
    expect(page).toMatchObject({ pageNumber: 2, pageSize: 4, totalCount: 14, totalPages: 4 });
    expect(page.data).toHaveLength(4);
    expect(page.data.every((user) => /^[1-9]\d+$/.test(user.id))).toBe(true);
  });

  it('sends the documented headers', async () => {
    const sim = await simulator();
    const { api } = client(sim.url, {
      integrationSource: 'SCRIPT,Acme,smartsheet-offboard',
      changeAgent: 'PR 12',
    });
    await api.getCurrentUser();
    const [entry] = sim.journal();
    expect(entry?.headers).toMatchObject({
      accept: 'application/json',
      'smartsheet-integration-source': 'SCRIPT,Acme,smartsheet-offboard',
      'smartsheet-change-agent': 'PR 12',
    });
    expect(entry?.headers['user-agent']).toMatch(/^smartsheet-offboard\/\d+\.\d+\.\d+/);
    expect(entry?.callerId).toBe(ADMIN); // the simulator recognised the bearer token
  });
});

describe('Smartsheet refusals are mapped and never retried (simulator)', () => {
  it.each([
    ['deactivate', ISP, 403, 1359, 'refused', 'isp-domain'],
    ['deactivate', SCIM, 400, 5697, 'refused', 'directory-managed'],
    ['deactivate', EXTERNAL, 403, 1004, 'forbidden', 'external-user'],
    ['deactivate', NOT_MEMBER, 403, 1335, 'refused', 'not-member'],
    ['deactivate', ADMIN, 403, 1336, 'refused', 'self'],
    ['deactivate', MAX, 403, 1188, 'refused', 'not-active'],
    ['deactivate', UNKNOWN, 404, 1020, 'not-found', 'unexpected-response'],
    ['reactivate', SCIM_DEACTIVATED, 400, 5717, 'refused', 'directory-managed'],
    ['reactivate', NOT_MEMBER_DEACTIVATED, 403, 1354, 'refused', 'not-member'],
    ['reactivate', ADMIN, 403, 1355, 'refused', 'self'],
  ] as const)(
    '%s %s → HTTP %i errorCode %i → %s/%s',
    async (operation, id, status, errorCode, kind, reason) => {
      const sim = await simulator();
      const { api } = client(sim.url);
      const before = sim.user(id)?.status;
      const error = await failure(
        operation === 'deactivate' ? api.deactivateUser(id) : api.reactivateUser(id),
      );
      expect(error.info).toMatchObject({ kind, reason, errorCode, httpStatus: status, retryable: false });
      expect(error.info.refId).toBeTruthy();
      expect(sim.journal()).toHaveLength(1);
      expect(sim.user(id)?.status).toBe(before);
    },
  );

  it('maps Smartsheet Gov’s refusal', async () => {
    const sim = await simulator({ seed: { ...SEED, gov: true } });
    const error = await failure(client(sim.url).api.deactivateUser(JANE));
    expect(error.info).toMatchObject({ kind: 'refused', reason: 'gov-unsupported', errorCode: 1356 });
  });

  it.each([
    ['an unknown token', 'tok-UNKNOWN-1234', 1002],
    ['an expired token', EXPIRED_TOKEN, 1003],
  ])('maps %s to an auth error, once', async (_name, token, errorCode) => {
    const sim = await simulator();
    const error = await failure(client(sim.url, { token }).api.getCurrentUser());
    expect(error.info).toMatchObject({ kind: 'auth', reason: 'unauthorized', errorCode, httpStatus: 401 });
    expect(sim.journal()).toHaveLength(1);
  });

  it('does not retry 500/4000', async () => {
    const sim = await simulator();
    sim.failNext({ fault: '4000' });
    const error = await failure(client(sim.url).api.deactivateUser(JANE));
    expect(error.info).toMatchObject({ kind: 'server', errorCode: 4000, retryable: false });
    expect(sim.journal()).toHaveLength(1);
    expect(sim.user(JANE)?.status).toBe('ACTIVE');
  });
});

describe('retries (simulator)', () => {
  it('retries 4004, 4001 and 4002 with exponential backoff plus jitter', async () => {
    const sim = await simulator();
    for (const fault of ['4004', '4001', '4002'] as const)
      sim.failNext({ fault, endpoint: 'deactivateUser' });
    const time = fakeTime();
    const { api, events } = client(sim.url, { ...time, random: () => 0.25 });
    await api.deactivateUser(JANE);
    expect(time.sleeps).toEqual([1250, 2250, 4250]);
    expect(sim.journal().map((entry) => entry.errorCode ?? entry.status)).toEqual([4004, 4001, 4002, 200]);
    expect(sim.user(JANE)?.status).toBe('DEACTIVATED');
    expect(events.map(({ attempt, status, error }) => ({ attempt, status, error }))).toEqual([
      { attempt: 1, status: 500, error: 'server' },
      { attempt: 2, status: 503, error: 'server' },
      { attempt: 3, status: 500, error: 'server' },
      { attempt: 4, status: 200, error: undefined },
    ]);
    expect(
      events.every((event) => event.method === 'POST' && event.path === `/users/${JANE}/deactivate`),
    ).toBe(true);
  });

  it('retries a 429 with the configured backoff base', async () => {
    const sim = await simulator();
    sim.failNext({ fault: '429', count: 2 });
    const time = fakeTime();
    await client(sim.url, { ...time, random: () => 0.5, retryBaseDelayMs: 10 }).api.deactivateUser(JANE);
    expect(time.sleeps).toEqual([15, 25]);
    expect(sim.journal().map((entry) => entry.status)).toEqual([429, 429, 200]);
  });

  it('honours Retry-After in seconds', async () => {
    const sim = await simulator({ retryAfterSeconds: 7 });
    sim.failNext({ fault: '429' });
    const time = fakeTime();
    await client(sim.url, { ...time, random: () => 0.9 }).api.deactivateUser(JANE);
    expect(time.sleeps).toEqual([7000]);
    expect(sim.journal()).toHaveLength(2);
  });

  it('gives up after maxRetryTimeMs with the last error', async () => {
    const sim = await simulator();
    sim.failNext({ fault: '4001', count: 10 });
    const time = fakeTime();
    const error = await failure(
      client(sim.url, { ...time, random: () => 0, maxRetryTimeMs: 5000 }).api.deactivateUser(JANE),
    );
    // 1 s + 2 s fit in 5 s; the next wait (4 s) is cut to the 2 s left, for a last try at the end.
    expect(time.sleeps).toEqual([1000, 2000, 2000]);
    expect(sim.journal()).toHaveLength(4);
    expect(error.info).toMatchObject({ kind: 'server', errorCode: 4001, httpStatus: 503, retryable: true });
    expect(error.message).toMatch(
      /^Smartsheet answered HTTP 503 errorCode 4001, refId \S+: Smartsheet\.com is currently offline/,
    );
    expect(error.message).toMatch(/\(gave up after 4 attempts in 5\.0 s\)$/);
  });

  it('by default keeps retrying a 429 storm well past the minute Smartsheet asks to wait, then stops', async () => {
    const sim = await simulator();
    sim.failNext({ fault: '429', count: 100 });
    const time = fakeTime();
    const { api } = createClientWith(sim.url, { ...time, random: () => 0 });
    const error = await failure(api.deactivateUser('42'));
    // Smartsheet: on 429 sleep at least 60 s. The backoff doubles; the last wait is cut to end the budget.
    expect(time.sleeps).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 57000]);
    expect(time.now()).toBe(CLIENT_DEFAULTS.maxRetryTimeMs);
    expect(time.now()).toBeGreaterThanOrEqual(2 * 60_000);
    expect(sim.journal()).toHaveLength(8);
    expect(error.info).toMatchObject({ kind: 'rate-limit', reason: 'rate-limited', retryable: true });
    expect(error.message).toMatch(/\(gave up after 8 attempts in 120\.0 s\)$/);
  });

  it('does not wait for a Retry-After beyond maxRetryTimeMs', async () => {
    const sim = await simulator({ retryAfterSeconds: 3600 });
    sim.failNext({ fault: '429' });
    const time = fakeTime();
    const error = await failure(client(sim.url, time).api.deactivateUser(JANE));
    expect(time.sleeps).toEqual([]);
    expect(sim.journal()).toHaveLength(1);
    expect(error.info).toMatchObject({ kind: 'rate-limit', retryAfterMs: 3_600_000 });
  });

  it('retries a reset connection', async () => {
    const sim = await simulator();
    sim.failNext({ fault: 'reset' });
    const { api, events } = client(sim.url, { random: () => 0 });
    await api.deactivateUser(JANE);
    expect(events.map((event) => event.error)).toEqual(['network', undefined]);
    expect(sim.user(JANE)?.status).toBe('DEACTIVATED');
  });

  it('aborts a slow attempt after requestTimeoutMs and retries it', async () => {
    // The retry must answer within the same timeout: 1 s, so a loaded machine cannot time it out too.
    const sim = await simulator({ faults: { slowMs: 20_000 } });
    sim.failNext({ fault: 'slow' });
    const { api, events } = client(sim.url, { requestTimeoutMs: 1_000 });
    await api.getUser(JANE);
    expect(events.map(({ status, error }) => ({ status, error }))).toEqual([
      { status: undefined, error: 'timeout' },
      { status: 200, error: undefined },
    ]);
  });

  it('maps a refused connection to a retryable network error', async () => {
    const sim = await startSimulator({ seed: SEED });
    await sim.stop();
    const { api, events } = client(sim.url, { random: () => 0, maxRetryTimeMs: 1000 });
    const error = await failure(api.getCurrentUser());
    expect(error.info).toMatchObject({ kind: 'network', reason: 'network', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
    expect(events.map((event) => event.error)).toEqual(['network', 'network']);
  });
});

describe('what only a hand-made server can send', () => {
  it.each([
    ['PARTIAL_SUCCESS', '{"message":"PARTIAL_SUCCESS","resultCode":3}', 'PARTIAL_SUCCESS (resultCode 3)'],
    ['a body that is not JSON', 'OK', 'a body that is not JSON'],
    ['no result code', '{}', 'resultCode missing'],
  ])('treats %s on deactivate as an error, not retried', async (_name, body, said) => {
    const { baseUrl, seen } = await startServer(sequence([200, body]));
    const error = await failure(client(baseUrl).api.deactivateUser('42'));
    expect(error.info).toMatchObject({ kind: 'unexpected-response', retryable: false });
    expect(error.message).toContain(said);
    expect(seen).toHaveLength(1);
  });

  it('reads IDs from the raw text, and refuses one that is not an integer rather than guess', async () => {
    const { baseUrl } = await startServer(
      sequence(
        [
          200,
          '{"id":48569348493401201,"email":"a@example.com","status":"SOME_NEW_STATUS","isInternal":false}',
        ],
        [200, '{"id":4.8569348493401200e16,"email":"a@example.com"}'],
      ),
    );
    const { api } = client(baseUrl);
    expect(await api.getUser('5')).toEqual({
      id: '48569348493401201',
      email: 'a@example.com',
      status: 'SOME_NEW_STATUS',
      isInternal: false,
    });
    const error = await failure(api.getUser('5'));
    expect(error.info).toMatchObject({ kind: 'unexpected-response', retryable: false, httpStatus: 200 });
  });

  it('honours Retry-After as an HTTP date, measured against the server’s Date', async () => {
    const { baseUrl } = await startServer(
      sequence(
        [
          503,
          '{"errorCode":4001,"message":"Offline for maintenance."}',
          { date: 'Thu, 01 Jan 2026 00:00:00 GMT', 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' },
        ],
        [200, SUCCESS],
      ),
    );
    const time = fakeTime();
    await client(baseUrl, time).api.deactivateUser('42');
    expect(time.sleeps).toEqual([3000]);
  });

  it('retries a 429 without a body, but not a 429 with another errorCode', async () => {
    const bare = await startServer(sequence([429, ''], [200, SUCCESS]));
    await client(bare.baseUrl, { random: () => 0 }).api.deactivateUser('42');
    expect(bare.seen).toHaveLength(2);

    const odd = await startServer(sequence([429, '{"errorCode":4242,"message":"Odd."}'], [200, SUCCESS]));
    const error = await failure(client(odd.baseUrl).api.deactivateUser('42'));
    expect(error.info).toMatchObject({ kind: 'rate-limit', retryable: false });
    expect(odd.seen).toHaveLength(1);
  });

  it('bounds reading the body by the timeout too', async () => {
    const { baseUrl } = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"message":'); // …and never finishes
    });
    const error = await failure(
      client(baseUrl, { requestTimeoutMs: 100, maxRetryTimeMs: 0 }).api.deactivateUser('42'),
    );
    expect(error.info).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).toContain('gave up after 1 attempt');
  });

  it.each([
    [301, 'GET', ''],
    [302, 'POST', ''],
    [307, 'POST', 'user:secret@'],
    [308, 'GET', ''],
  ] as const)(
    'never follows a %i redirect to another origin, so the token stays home (%s)',
    async (status, method, credentials) => {
      const elsewhere = await startServer(sequence([200, SUCCESS]));
      const elsewhereOrigin = new URL(elsewhere.baseUrl).origin;
      const { baseUrl, seen } = await startServer((_request, response) => {
        const target = new URL('/2.0/users/42/deactivate', elsewhereOrigin);
        response.writeHead(status, { location: target.href.replace('//', `//${credentials}`) });
        response.end();
      });
      const { api } = client(baseUrl);
      const error = await failure(method === 'POST' ? api.deactivateUser('42') : api.getUser('42'));
      expect(elsewhere.seen).toEqual([]);
      expect(seen).toHaveLength(1);
      expect(error.info).toMatchObject({ kind: 'unexpected-response', retryable: false, httpStatus: status });
      expect(error.message).toContain(`redirect to ${elsewhereOrigin}`);
      expect(error.message).not.toContain('secret');
    },
  );

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const held = new Set<() => void>();
    const { baseUrl, seen } = await startServer((_request, response) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const answer = () => {
        if (!held.delete(answer)) return;
        inFlight--;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(SUCCESS);
      };
      held.add(answer);
      // Answers wait until three are in flight, then 100 ms more for a fourth to arrive if the client let
      // one through: waiting for the count, not a fixed delay, so a slow machine cannot answer too soon.
      // None waits over a second, so a client that never gets to three fails rather than hangs.
      if (inFlight === 3)
        setTimeout(() => {
          for (const waiting of [...held]) waiting();
        }, 100);
      else setTimeout(answer, 1_000);
    });
    const api = createClient({ token: TOKEN, baseUrl, concurrency: 3, requestsPerMinute: 60_000 });
    await Promise.all(Array.from({ length: 12 }, (_, index) => api.deactivateUser(String(index + 1))));
    expect(seen).toHaveLength(12);
    expect(most).toBe(3);
  });
});

describe('requests and options', () => {
  it('rejects a bad user ID before any request', async () => {
    const sim = await simulator();
    await expect(client(sim.url).api.deactivateUser('12e3')).rejects.toBeInstanceOf(ConfigError);
    expect(sim.journal()).toHaveLength(0);
  });

  it('refuses bad client options at creation', () => {
    expect(() => createClient({ token: TOKEN, requestsPerMinute: 0 })).toThrow(ConfigError);
    expect(() => createClient({ token: TOKEN, concurrency: 1.5 })).toThrow('Invalid concurrency "1.5"');
    expect(() => createClient({ token: TOKEN, maxRetryTimeMs: -1 })).toThrow('Invalid maxRetryTimeMs "-1"');
    expect(() => createClient({ token: TOKEN, region: 'gov' })).toThrow(
      'deactivation is not available on Smartsheet Gov',
    );
  });
});

describe('pacing', () => {
  it('spaces request starts evenly at 60 000 / rpm ms plus 2%, on a virtual clock', async () => {
    const sim = await simulator();
    const time = virtualTime();
    const starts: number[] = [];
    const { api } = client(sim.url, {
      now: time.now,
      sleep: time.sleep,
      requestsPerMinute: 60,
      fetch: (input, init) => {
        starts.push(time.now());
        return fetch(input, init);
      },
    });
    await time.drive(Promise.all(Array.from({ length: 6 }, () => api.getUser(JANE))));
    expect(starts).toHaveLength(6);
    for (const [index, start] of starts.entries()) expect(start).toBeCloseTo(index * 1020, 6);
  });

  it('sends a retry through the pacer too', async () => {
    const sim = await simulator();
    sim.failNext({ fault: '429' });
    const time = virtualTime();
    const starts: number[] = [];
    const { api } = client(sim.url, {
      now: time.now,
      sleep: time.sleep,
      requestsPerMinute: 60,
      random: () => 0,
      retryBaseDelayMs: 100,
      fetch: (input, init) => {
        starts.push(time.now());
        return fetch(input, init);
      },
    });
    await time.drive(api.deactivateUser(JANE));
    // The retry is due after 100 ms but the next paced start is 1020 ms after the first.
    expect(starts).toEqual([0, 1020]);
  });

  it('measures each start from the previous actual start, so a late timer never bunches requests', async () => {
    let time = 0;
    let lateness = 500; // the first sleep overruns by half a second, like a busy event loop
    const pacer = createPacer({
      requestsPerMinute: 60,
      now: () => time,
      sleep: async (ms) => {
        time += ms + lateness;
        lateness = 0;
      },
    });
    const starts: number[] = [];
    for (let index = 0; index < 4; index++) {
      await pacer.wait();
      starts.push(time);
    }
    expect(starts).toEqual([0, 1520, 2540, 3560]);
  });

  // The simulator enforces 10 requests per rolling second (10 per minute, the minute scaled 60×).
  const limited = { requestsPerMinute: 10, timeScale: 60 };

  it('stays under a rolling-window limit in real time (30 requests at 600 rpm, no 429)', async () => {
    // The 2% margin is only 20 ms on this 1 s window (1.2 s on Smartsheet's minute), less than a request's
    // travel time varies on a loaded machine. So the limit is checked exactly where pacing happens, at
    // each start, and the simulator, allowing one request more per second, checks what arrives is paced.
    const sim = await simulator({ ...limited, requestsPerMinute: 11 });
    const starts: number[] = [];
    const api = createClient({
      token: TOKEN,
      baseUrl: sim.url,
      requestsPerMinute: 600,
      fetch: (input, init) => {
        starts.push(performance.now());
        return fetch(input, init);
      },
    });
    const started = performance.now();
    await Promise.all(Array.from({ length: 30 }, () => api.getUser(JANE)));
    const elapsed = performance.now() - started;
    expect(sim.journal().map((entry) => entry.status)).toEqual(Array(30).fill(200));
    const mostInOneSecond = Math.max(
      ...starts.map((start) => starts.filter((at) => at >= start && at < start + 1000).length),
    );
    expect(mostInOneSecond).toBeLessThanOrEqual(10);
    // And pacing costs about the floor (29 intervals of 102 ms), not more: the bound leaves a loaded
    // machine's late timers room, yet a sleep of twice the interval (5.9 s) fails it.
    expect(elapsed).toBeGreaterThanOrEqual(29 * 102);
    expect(elapsed).toBeLessThan(29 * 102 + 2_500);
  }, 10_000);

  it('(control) an unpaced burst against the same limit is refused with 429', async () => {
    const sim = await simulator(limited);
    const api = createClient({
      token: TOKEN,
      baseUrl: sim.url,
      requestsPerMinute: 60_000,
      maxRetryTimeMs: 0,
    });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => api.getUser(JANE)));
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const result of refused) {
      expect((result.reason as SmartsheetApiError).info).toMatchObject({
        kind: 'rate-limit',
        errorCode: 4003,
      });
    }
  });
});

describe('the token stays secret', () => {
  const SECRET = 'tok-VERY-SECRET-0a9b8c7d6e5f';

  function assertClean(value: unknown): void {
    const texts = [
      JSON.stringify(value),
      inspect(value, { depth: 10, showHidden: true }),
      String(value),
      value instanceof Error ? `${value.message}\n${value.stack}` : '',
    ];
    for (const text of texts) expect(text).not.toContain(SECRET);
  }

  it('is neither in errors nor events from the simulator', async () => {
    const sim = await simulator({ faults: { slowMs: 20_000 } });
    const events: AttemptEvent[] = [];
    const api = createClient({
      token: SECRET,
      baseUrl: sim.url,
      // Long enough for the 401 to arrive in time on a loaded machine; the slow answer never does.
      requestTimeoutMs: 1_000,
      maxRetryTimeMs: 0,
      onAttempt: (event) => events.push(event),
    });
    assertClean(await failure(api.getCurrentUser())); // 401: the simulator does not know this token
    sim.failNext({ fault: 'slow' });
    assertClean(await failure(api.listUsers({ emails: ['jane.doe@example.com'] })));
    expect(events.map(({ status, error }) => ({ status, error }))).toEqual([
      { status: 401, error: 'auth' },
      { status: undefined, error: 'timeout' },
    ]);
    assertClean(events);
    assertClean(api);
  });

  it('is redacted even when a server echoes it back', async () => {
    const { baseUrl } = await startServer((request, response) => {
      const echoed = request.headers.authorization ?? '';
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errorCode: 1002, message: `Token ${echoed} is invalid`, refId: echoed }));
    });
    const events: AttemptEvent[] = [];
    const api = createClient({ token: SECRET, baseUrl, onAttempt: (event) => events.push(event) });
    const error = await failure(api.getCurrentUser());
    expect(error.message).toBe(
      'Smartsheet answered HTTP 401 errorCode 1002, refId Bearer ***: Token Bearer *** is invalid',
    );
    assertClean(error);
    assertClean(error.info);
    assertClean(events);
  });

  it('is redacted from transport errors that quote it', async () => {
    const sim = await simulator();
    const api = createClient({
      token: SECRET,
      baseUrl: sim.url,
      maxRetryTimeMs: 0,
      fetch: async (input, init) => {
        await fetch(input, init);
        const cause = Object.assign(new Error(`socket hang up sending Bearer ${SECRET}`), {
          code: 'ECONNRESET',
        });
        throw new TypeError('fetch failed', { cause });
      },
    });
    const error = await failure(api.deactivateUser(JANE));
    expect(error.message).toContain('socket hang up sending Bearer ***');
    assertClean(error);
  });

  it('leaves no fragment of it where a long message was cut short', async () => {
    const sim = await simulator();
    for (const padding of [235, 245, 250]) {
      const api = createClient({
        token: SECRET,
        baseUrl: sim.url,
        maxRetryTimeMs: 0,
        fetch: async () => {
          throw Object.assign(new Error(`${'x'.repeat(padding)} sent Bearer ${SECRET}`), {
            code: 'ECONNRESET',
          });
        },
      });
      const error = await failure(api.getCurrentUser());
      expect(error.message).toMatch(/\*\*\*…/);
      expect(error.message).not.toContain(SECRET.slice(0, 6));
    }
  });

  it('is not echoed by a ConfigError about it', () => {
    let refusal: unknown;
    try {
      createClient({ token: ` ${SECRET} x` });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ConfigError);
    assertClean(refusal);
  });
});

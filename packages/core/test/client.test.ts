import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttemptEvent, type ClientOptions, createClient } from '../src/client.js';
import { ConfigError, SmartsheetApiError } from '../src/errors.js';

// A tiny Smartsheet stand-in for what needs exact control over the wire (timing, raw bodies, headers).

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** performance.now() when the request arrived. */
  at: number;
}

type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void;

const servers: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer(handler: Handler): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      at: performance.now(),
    });
    handler(request, response, seen.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return { baseUrl: `http://127.0.0.1:${port}/2.0`, seen };
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
}

const smartsheetError = (errorCode: number, message: string) =>
  JSON.stringify({ errorCode, message, refId: `ref-${errorCode}` });

/** Answers each request in turn from the list (the last one repeats). */
function sequence(...answers: [status: number, body: string, headers?: Record<string, string>][]): Handler {
  return (_request, response, index) => {
    const [status, body, headers] = answers[Math.min(index, answers.length - 1)]!;
    send(response, status, body, headers);
  };
}

const SUCCESS = '{"message":"SUCCESS","resultCode":0}';
const TOKEN = 'tok-CLIENT-5e4d3c2b1a09';

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

async function failure(promise: Promise<unknown>): Promise<SmartsheetApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SmartsheetApiError);
    return error as SmartsheetApiError;
  }
  throw new Error('expected the call to fail');
}

describe('64-bit IDs end to end', () => {
  it('lists, gets and deactivates users whose IDs are above 2^53, exactly', async () => {
    const { baseUrl, seen } = await startServer((request, response) => {
      if (request.url?.startsWith('/2.0/users?')) {
        send(
          response,
          200,
          '{"pageNumber":1,"pageSize":100,"totalPages":1,"totalCount":2,"data":[' +
            '{"id":48569348493401200,"email":"jane@example.com","name":"Jane","status":"DEACTIVATED","admin":false,"groupAdmin":true,"licensedSheetCreator":true,"isInternal":true,"sheetCount":-1},' +
            '{"id":9223372036854775807,"email":"max@example.com","status":"SOME_NEW_STATUS"}]}',
        );
      } else if (request.url === '/2.0/users/48569348493401201') {
        send(
          response,
          200,
          '{"id":48569348493401201,"email":"joe@example.com","admin":true,"account":{"id":122454719915908}}',
        );
      } else {
        send(response, 200, SUCCESS);
      }
    });
    const { api } = client(baseUrl);

    const page = await api.listUsers({ emails: ['jane@example.com', 'max@example.com'] });
    expect(page).toEqual({
      pageNumber: 1,
      pageSize: 100,
      totalPages: 1,
      totalCount: 2,
      data: [
        {
          id: '48569348493401200',
          email: 'jane@example.com',
          name: 'Jane',
          status: 'DEACTIVATED',
          admin: false,
          groupAdmin: true,
          licensedSheetCreator: true,
          isInternal: true,
        },
        { id: '9223372036854775807', email: 'max@example.com', status: 'SOME_NEW_STATUS' },
      ],
    });
    expect(await api.getUser('48569348493401201')).toEqual({
      id: '48569348493401201',
      email: 'joe@example.com',
      admin: true,
    });
    await api.deactivateUser('48569348493401200');
    await api.reactivateUser('9223372036854775807');

    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /2.0/users?email=jane%40example.com,max%40example.com',
      'GET /2.0/users/48569348493401201',
      'POST /2.0/users/48569348493401200/deactivate',
      'POST /2.0/users/9223372036854775807/reactivate',
    ]);
  });

  it('sends the documented headers', async () => {
    const { baseUrl, seen } = await startServer(sequence([200, '{"id":1,"email":"me@example.com"}']));
    const { api } = client(baseUrl, {
      integrationSource: 'SCRIPT,Acme,smartsheet-offboard',
      changeAgent: 'PR 12',
    });
    await api.getCurrentUser();
    expect(seen[0]?.url).toBe('/2.0/users/me');
    expect(seen[0]?.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      accept: 'application/json',
      'smartsheet-integration-source': 'SCRIPT,Acme,smartsheet-offboard',
      'smartsheet-change-agent': 'PR 12',
    });
    expect(seen[0]?.headers['user-agent']).toMatch(/^smartsheet-offboard\/\d+\.\d+\.\d+/);
  });

  it('refuses a user whose ID is not an integer rather than guess', async () => {
    const { baseUrl } = await startServer(
      sequence([200, '{"id":4.8569348493401200e16,"email":"a@example.com"}']),
    );
    const error = await failure(client(baseUrl).api.getUser('5'));
    expect(error.info).toMatchObject({ kind: 'unexpected-response', retryable: false, httpStatus: 200 });
  });
});

describe('success and failure of a change', () => {
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

  it('rejects a bad user ID before any request', async () => {
    const { baseUrl, seen } = await startServer(sequence([200, SUCCESS]));
    await expect(client(baseUrl).api.deactivateUser('12e3')).rejects.toBeInstanceOf(ConfigError);
    expect(seen).toHaveLength(0);
  });

  it('refuses bad client options at creation', () => {
    expect(() => createClient({ token: TOKEN, requestsPerMinute: 0 })).toThrow(ConfigError);
    expect(() => createClient({ token: TOKEN, concurrency: 1.5 })).toThrow('Invalid concurrency "1.5"');
    expect(() => createClient({ token: TOKEN, region: 'gov' })).toThrow(
      'deactivation is not available on Smartsheet Gov',
    );
  });
});

describe('retries', () => {
  it('retries retryable errors with exponential backoff plus jitter, counting attempts', async () => {
    const { baseUrl, seen } = await startServer(
      sequence(
        [500, smartsheetError(4004, 'Please retry your request.')],
        [503, smartsheetError(4001, 'Offline for maintenance.')],
        [500, smartsheetError(4002, 'Server timeout exceeded.')],
        [200, SUCCESS],
      ),
    );
    const time = fakeTime();
    const { api, events } = client(baseUrl, { ...time, random: () => 0.25 });
    await api.deactivateUser('42');
    expect(seen).toHaveLength(4);
    expect(time.sleeps).toEqual([1250, 2250, 4250]);
    expect(events.map(({ attempt, status, error }) => ({ attempt, status, error }))).toEqual([
      { attempt: 1, status: 500, error: 'server' },
      { attempt: 2, status: 503, error: 'server' },
      { attempt: 3, status: 500, error: 'server' },
      { attempt: 4, status: 200, error: undefined },
    ]);
    expect(events.every((event) => event.method === 'POST' && event.path === '/users/42/deactivate')).toBe(
      true,
    );
  });

  it('uses the configured backoff base', async () => {
    const { baseUrl } = await startServer(sequence([429, ''], [429, ''], [200, SUCCESS]));
    const time = fakeTime();
    await client(baseUrl, { ...time, random: () => 0.5, retryBaseDelayMs: 10 }).api.deactivateUser('1');
    expect(time.sleeps).toEqual([15, 25]);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    const { baseUrl, seen } = await startServer(
      sequence([429, smartsheetError(4003, 'Rate limit exceeded.'), { 'retry-after': '7' }], [200, SUCCESS]),
    );
    const time = fakeTime();
    await client(baseUrl, { ...time, random: () => 0.9 }).api.deactivateUser('42');
    expect(time.sleeps).toEqual([7000]);
    expect(seen).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date, measured against the server’s Date', async () => {
    const { baseUrl } = await startServer(
      sequence(
        [
          503,
          smartsheetError(4001, 'Offline for maintenance.'),
          { date: 'Thu, 01 Jan 2026 00:00:00 GMT', 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' },
        ],
        [200, SUCCESS],
      ),
    );
    const time = fakeTime();
    await client(baseUrl, time).api.deactivateUser('42');
    expect(time.sleeps).toEqual([3000]);
  });

  it('retries a 429 without a body', async () => {
    const { baseUrl, seen } = await startServer(sequence([429, ''], [200, SUCCESS]));
    await client(baseUrl, { random: () => 0 }).api.deactivateUser('42');
    expect(seen).toHaveLength(2);
  });

  it('gives up after maxRetryTimeMs with the last error', async () => {
    const { baseUrl, seen } = await startServer(
      sequence([503, smartsheetError(4001, 'Offline for maintenance.')]),
    );
    const time = fakeTime();
    const error = await failure(
      client(baseUrl, { ...time, random: () => 0, maxRetryTimeMs: 5000 }).api.deactivateUser('42'),
    );
    // 1 s + 2 s fit in 5 s; the next wait (4 s) would not.
    expect(time.sleeps).toEqual([1000, 2000]);
    expect(seen).toHaveLength(3);
    expect(error.info).toMatchObject({ kind: 'server', errorCode: 4001, httpStatus: 503, retryable: true });
    expect(error.message).toBe(
      'Smartsheet answered HTTP 503 errorCode 4001, refId ref-4001: Offline for maintenance. (gave up after 3 attempts in 3.0 s)',
    );
  });

  it('does not wait for a Retry-After beyond maxRetryTimeMs', async () => {
    const { baseUrl, seen } = await startServer(sequence([429, '', { 'retry-after': '3600' }]));
    const time = fakeTime();
    const error = await failure(client(baseUrl, time).api.deactivateUser('42'));
    expect(time.sleeps).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(error.info).toMatchObject({ kind: 'rate-limit', retryAfterMs: 3_600_000 });
  });

  it.each([
    [403, smartsheetError(1359, 'ISP domain.'), 'refused', 'isp-domain'],
    [
      403,
      smartsheetError(1004, 'You are not authorized to perform this action.'),
      'forbidden',
      'external-user',
    ],
    [400, smartsheetError(5697, 'Managed from your directory service.'), 'refused', 'directory-managed'],
    [401, smartsheetError(1002, 'Your Access Token is invalid.'), 'auth', 'unauthorized'],
    [404, smartsheetError(1020, 'User not found.'), 'not-found', 'unexpected-response'],
    [500, smartsheetError(4000, 'An unexpected error has occurred.'), 'server', 'server-error'],
    [429, smartsheetError(4242, 'Something else.'), 'rate-limit', 'rate-limited'],
  ] as const)('does not retry HTTP %i %s', async (status, body, kind, reason) => {
    const { baseUrl, seen } = await startServer(sequence([status, body], [200, SUCCESS]));
    const time = fakeTime();
    const error = await failure(client(baseUrl, time).api.deactivateUser('42'));
    expect(error.info).toMatchObject({ kind, reason, retryable: false, httpStatus: status });
    expect(seen).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it('does not retry an HTML 502 from a proxy and says what came back', async () => {
    const { baseUrl, seen } = await startServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>');
    });
    const error = await failure(client(baseUrl).api.listUsers());
    expect(error.info).toMatchObject({
      kind: 'unexpected-response',
      reason: 'server-error',
      retryable: false,
    });
    expect(error.message).toBe(
      'Smartsheet answered HTTP 502 with a text/html body that is not a Smartsheet error.',
    );
    expect(seen).toHaveLength(1);
  });
});

describe('timeouts and connection errors', () => {
  it('aborts a silent attempt after requestTimeoutMs and retries it', async () => {
    const { baseUrl, seen } = await startServer((_request, response, index) => {
      if (index > 0) send(response, 200, SUCCESS);
      // The first request gets no answer at all.
    });
    const { api, events } = client(baseUrl, { requestTimeoutMs: 100 });
    await api.deactivateUser('42');
    expect(seen).toHaveLength(2);
    expect(events.map(({ status, error }) => ({ status, error }))).toEqual([
      { status: undefined, error: 'timeout' },
      { status: 200, error: undefined },
    ]);
    expect(events[0]?.ms).toBe(0); // the fake clock does not move while waiting on the network
  });

  it('bounds reading the body too', async () => {
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

  it('maps a refused connection to a retryable network error', async () => {
    const { baseUrl } = await startServer(sequence([200, SUCCESS]));
    await Promise.all(servers.splice(0).map((server) => server.close()));
    const { api, events } = client(baseUrl, { random: () => 0, maxRetryTimeMs: 1000 });
    const error = await failure(api.getCurrentUser());
    expect(error.info).toMatchObject({ kind: 'network', reason: 'network', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
    expect(events.map((event) => event.error)).toEqual(['network', 'network']);
  });
});

describe('pacing and concurrency', () => {
  it('spaces request starts evenly at 60 000 / rpm ms plus 2%, on a virtual clock', async () => {
    const { baseUrl } = await startServer(sequence([200, SUCCESS]));
    const time = virtualTime();
    const starts: number[] = [];
    const { api } = client(baseUrl, {
      now: time.now,
      sleep: time.sleep,
      requestsPerMinute: 60,
      onAttempt: () => {},
      fetch: (input, init) => {
        starts.push(time.now());
        return fetch(input, init);
      },
    });
    await time.drive(Promise.all(['1', '2', '3', '4', '5', '6'].map((id) => api.deactivateUser(id))));
    expect(starts).toHaveLength(6);
    for (const [index, start] of starts.entries()) expect(start).toBeCloseTo(index * 1020, 6);
  });

  it('sends a retry through the pacer too', async () => {
    const { baseUrl } = await startServer(sequence([429, ''], [200, SUCCESS]));
    const time = virtualTime();
    const starts: number[] = [];
    const { api } = client(baseUrl, {
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
    await time.drive(api.deactivateUser('1'));
    // The retry is due after 100 ms but the next paced slot is 1020 ms after the first start.
    expect(starts).toEqual([0, 1020]);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const { baseUrl, seen } = await startServer((_request, response) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        send(response, 200, SUCCESS);
      }, 40);
    });
    const api = createClient({ token: TOKEN, baseUrl, concurrency: 3, requestsPerMinute: 60_000 });
    await Promise.all(Array.from({ length: 12 }, (_, index) => api.deactivateUser(String(index + 1))));
    expect(seen).toHaveLength(12);
    expect(most).toBe(3);
  });

  it('never exceeds the per-minute budget in real time (30 requests at 600 rpm)', async () => {
    const { baseUrl, seen } = await startServer(sequence([200, SUCCESS]));
    const starts: number[] = [];
    const api = createClient({
      token: TOKEN,
      baseUrl,
      requestsPerMinute: 600,
      fetch: (input, init) => {
        starts.push(performance.now());
        return fetch(input, init);
      },
    });
    const started = performance.now();
    await Promise.all(Array.from({ length: 30 }, (_, index) => api.deactivateUser(String(index + 1))));
    const elapsed = performance.now() - started;
    const mostInWindow = (times: number[], windowMs: number) =>
      Math.max(...times.map((start) => times.filter((at) => at >= start && at < start + windowMs).length));
    // 600 per minute is 10 per second: no one-second window may hold more, wherever it starts.
    expect(mostInWindow(starts, 1000)).toBe(10);
    // On the server, transit jitter may move arrivals closer; the 2% margin (20 ms a second) absorbs it.
    expect(seen).toHaveLength(30);
    expect(
      mostInWindow(
        seen.map((request) => request.at),
        980,
      ),
    ).toBeLessThanOrEqual(10);
    // And pacing costs about the floor (29 intervals of 102 ms), not more.
    expect(elapsed).toBeGreaterThanOrEqual(29 * 102);
    expect(elapsed).toBeLessThan(29 * 102 + 1500);
  }, 10_000);
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

  it('is redacted from errors and events even when the server echoes it', async () => {
    const { baseUrl } = await startServer((request, response) => {
      const echoed = request.headers.authorization ?? '';
      send(
        response,
        401,
        JSON.stringify({ errorCode: 1002, message: `Token ${echoed} is invalid`, refId: echoed }),
      );
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
    assertClean(api);
  });

  it('is redacted from transport errors that quote it', async () => {
    const { baseUrl } = await startServer(sequence([200, SUCCESS]));
    const api = createClient({
      token: SECRET,
      baseUrl,
      maxRetryTimeMs: 0,
      fetch: async (input, init) => {
        await fetch(input, init);
        const cause = Object.assign(new Error(`socket hang up sending Bearer ${SECRET}`), {
          code: 'ECONNRESET',
        });
        throw new TypeError('fetch failed', { cause });
      },
    });
    const error = await failure(api.deactivateUser('42'));
    expect(error.message).toContain('socket hang up sending Bearer ***');
    assertClean(error);
  });

  it('is neither in a timeout error nor in a ConfigError', async () => {
    const { baseUrl } = await startServer(() => {});
    const api = createClient({ token: SECRET, baseUrl, requestTimeoutMs: 50, maxRetryTimeMs: 0 });
    assertClean(await failure(api.listUsers({ emails: ['a@example.com'] })));
    let refusal: unknown;
    try {
      createClient({ token: ` ${SECRET} x`, baseUrl });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ConfigError);
    assertClean(refusal);
  });
});

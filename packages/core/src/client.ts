import { readPage, readResult, readUser, UnexpectedBody, type UsersPage } from './answers.js';
import { type ListUsersQuery, smartsheetRequests } from './endpoints.js';
import {
  ConfigError,
  mapHttpError,
  mapTransportError,
  SmartsheetApiError,
  type SmartsheetOperation,
} from './errors.js';
import { createPacer, createSlots } from './pacer.js';
import { redactSecrets } from './redact.js';
import { parseLosslessJson } from './response-body.js';
import type { ConnectionOptions, HttpRequest, SmartsheetErrorInfo, SmartsheetUser, UserId } from './types.js';
import { oneLine } from './wire.js';

/** One HTTP attempt, for logs and progress. Carries no secret and no query string (emails stay out of logs). */
export interface AttemptEvent {
  method: string;
  /** Relative to the base URL, without the query: `/users/123/deactivate`. */
  path: string;
  /** Absent when no response came (network error, timeout). */
  status?: number;
  /** 1 for the first try of a request, 2 for its first retry… */
  attempt: number;
  ms: number;
  /** The error's kind when the attempt failed. */
  error?: SmartsheetErrorInfo['kind'];
}

/** A failed attempt about to be tried again: for people watching a run (the CLI's stderr, the action's log). */
export interface RetryEvent {
  method: string;
  /** Relative to the base URL, without the query, as in `AttemptEvent`. */
  path: string;
  /** The attempt that failed: 1 for the first try. */
  attempt: number;
  /** When the next attempt starts, in milliseconds from now. */
  delayMs: number;
  /** The most attempts this failure gets, when fewer than the retry budget would allow. */
  maxAttempts?: number;
  /** The retry budget: no attempt starts later than this after the first (ms). */
  budgetMs: number;
  /** What went wrong, without the token. */
  error: SmartsheetErrorInfo;
}

/** One line for a person: `Retrying GET /users in 2.0 s (try 2; up to 120 s in all): Smartsheet answered HTTP 502 …`. */
export function describeRetry(event: RetryEvent): string {
  const next = event.attempt + 1;
  const bound =
    event.maxAttempts === undefined
      ? `try ${next}; up to ${Math.round(event.budgetMs / 1000)} s in all`
      : `try ${next} of ${event.maxAttempts}`;
  return `Retrying ${event.method} ${event.path} in ${(event.delayMs / 1000).toFixed(1)} s (${bound}): ${event.error.message}`;
}

export interface ClientOptions extends ConnectionOptions {
  fetch?: typeof globalThis.fetch;
  /** Milliseconds since an arbitrary origin (default `performance.now`). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1): jitter for backoff (default `Math.random`). */
  random?: () => number;
  /** The per-token budget to stay under (default 300, Smartsheet's limit). */
  requestsPerMinute?: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /**
   * Retry a request until this long after its first attempt (default 120 000 ms: Smartsheet asks clients
   * to wait at least a minute after a 429, and its rate limit counts over a rolling minute).
   */
  maxRetryTimeMs?: number;
  /** Abort one attempt after this long (default 30 000 ms). */
  requestTimeoutMs?: number;
  /** Backoff base: retry n (from 0) waits `2^n × base + random × base` (default 1 000 ms). */
  retryBaseDelayMs?: number;
  /**
   * Stops sending: once aborted, no attempt starts (a request waiting for its turn, a first attempt or a
   * retry) and such requests reject with reason `interrupted`. An attempt already sent finishes (a change
   * already sent may have happened: its answer is worth having).
   */
  signal?: AbortSignal;
  /** Called after each HTTP attempt, for logs and progress; carries no secret. Must not throw. */
  onAttempt?: (event: AttemptEvent) => void;
  /** Called before each retry's wait, so a person sees why a run is slow (`describeRetry`). Must not throw. */
  onRetry?: (event: RetryEvent) => void;
}

export type { UsersPage } from './answers.js';

/** The subset of Smartsheet's users API that offboarding needs: paced, retried, 64-bit safe. */
export interface UsersApi {
  getCurrentUser(): Promise<SmartsheetUser>;
  getUser(id: UserId): Promise<SmartsheetUser>;
  listUsers(query?: ListUsersQuery): Promise<UsersPage>;
  deactivateUser(id: UserId): Promise<void>;
  reactivateUser(id: UserId): Promise<void>;
}

export const CLIENT_DEFAULTS = {
  requestsPerMinute: 300,
  concurrency: 8,
  maxRetryTimeMs: 120_000,
  requestTimeoutMs: 30_000,
  retryBaseDelayMs: 1_000,
} as const;

function positive(input: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new ConfigError(input, String(value), allowZero ? 'a number of 0 or more' : 'a number above 0');
  }
  return value;
}

function unexpected(status: number, what: string, endpoint?: string): SmartsheetErrorInfo {
  return {
    kind: 'unexpected-response',
    reason: 'unexpected-response',
    retryable: false,
    httpStatus: status,
    message: oneLine(`Smartsheet answered HTTP ${status}${endpoint ? ` to ${endpoint}` : ''} with ${what}.`),
    remediation: 'Check the base URL and any proxy; run again to see the user’s current status.',
  };
}

/** Names only where a redirect pointed (its origin): a Location may carry credentials or a query. */
function redirected(status: number, location: string | null, from: string): SmartsheetErrorInfo {
  let where = 'elsewhere';
  try {
    if (location) where = `to ${new URL(location, from).origin}`;
  } catch {
    where = 'to an address that is not a URL';
  }
  return {
    ...unexpected(status, `a redirect ${where}, which is not followed`),
    remediation:
      'Smartsheet’s API does not redirect: check the region or base URL (it ends in /2.0) and any proxy.',
  };
}

function interrupted(last: SmartsheetErrorInfo): SmartsheetApiError {
  return new SmartsheetApiError({
    ...last,
    kind: 'interrupted',
    reason: 'interrupted',
    retryable: false,
    message: oneLine(`Interrupted while retrying; the last answer: ${last.message}`),
    remediation: 'Run again to finish: users already changed are skipped.',
  });
}

/** A request the abort stopped before it was sent: nothing of it reached Smartsheet. */
export function notSentInfo(): SmartsheetErrorInfo {
  return {
    kind: 'interrupted',
    reason: 'interrupted',
    retryable: false,
    message: 'Interrupted before the request was sent.',
    remediation: 'Run again to finish: users already changed are skipped.',
  };
}

/** The default sleep: ends early (resolves) when the signal aborts, so an abort does not wait out a backoff. */
function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const wake = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal?.addEventListener('abort', wake, { once: true });
  });
}

type Attempt<T> = { ok: true; value: T } | { ok: false; info: SmartsheetErrorInfo };

/**
 * Creates a client for one token. Requests start evenly spaced under `requestsPerMinute` (see
 * `createPacer`), at most `concurrency` at a time; retryable failures are retried with exponential
 * backoff and jitter, honouring `Retry-After`, for at most `maxRetryTimeMs`. Throws `ConfigError` at
 * once on a bad option; calls reject with `SmartsheetApiError`. The token appears in no error or event.
 */
export function createClient(options: ClientOptions): UsersApi {
  const requests = smartsheetRequests(options);
  const token = options.token.trim();
  const requestsPerMinute = positive(
    'requestsPerMinute',
    options.requestsPerMinute,
    CLIENT_DEFAULTS.requestsPerMinute,
  );
  const concurrency = positive('concurrency', options.concurrency, CLIENT_DEFAULTS.concurrency);
  if (!Number.isInteger(concurrency))
    throw new ConfigError('concurrency', String(concurrency), 'a whole number above 0');
  const maxRetryTimeMs = positive(
    'maxRetryTimeMs',
    options.maxRetryTimeMs,
    CLIENT_DEFAULTS.maxRetryTimeMs,
    true,
  );
  const requestTimeoutMs = positive(
    'requestTimeoutMs',
    options.requestTimeoutMs,
    CLIENT_DEFAULTS.requestTimeoutMs,
  );
  const retryBaseDelayMs = positive(
    'retryBaseDelayMs',
    options.retryBaseDelayMs,
    CLIENT_DEFAULTS.retryBaseDelayMs,
    true,
  );
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? sleepUnlessAborted;
  const { signal } = options;
  const random = options.random ?? Math.random;
  const { onAttempt, onRetry } = options;
  const pacer = createPacer({ requestsPerMinute, now, sleep, signal });
  const slots = createSlots(concurrency);

  // Defence in depth: whatever a server or the network library echoes, the token never leaves.
  const redact = (text: string): string => redactSecrets(text, [token]);
  const redactInfo = (info: SmartsheetErrorInfo): SmartsheetErrorInfo => ({
    ...info,
    message: redact(info.message),
    remediation: redact(info.remediation),
    ...(info.refId !== undefined && { refId: redact(info.refId) }),
  });

  /** The request's path below the base URL, without the query (emails stay out of messages). */
  function pathOf(request: HttpRequest): string {
    return request.url.slice(requests.baseUrl.length).split('?')[0] ?? '';
  }

  /** One HTTP exchange: fetch and body, both under the per-attempt timeout. */
  async function exchange(request: HttpRequest): Promise<{ status: number; headers: Headers; text: string }> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(`no answer within ${requestTimeoutMs} ms`, 'TimeoutError')),
      requestTimeoutMs,
    );
    try {
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        // Never follow: a redirect would carry the request (and, to the same origin, the token) somewhere
        // the base URL did not name, and would turn a POST into a GET.
        redirect: 'manual',
        signal: controller.signal,
      });
      // The timer also bounds reading the body: a server may stall mid-response.
      return { status: response.status, headers: response.headers, text: await response.text() };
    } finally {
      clearTimeout(timer);
    }
  }

  async function attemptOnce<T>(
    operation: SmartsheetOperation,
    request: HttpRequest,
    read: (body: unknown) => T,
  ): Promise<{ result: Attempt<T>; status?: number }> {
    let response: { status: number; headers: Headers; text: string };
    try {
      response = await exchange(request);
    } catch (error) {
      return { result: { ok: false, info: mapTransportError(error) } };
    }
    const { status, headers, text } = response;
    if (status >= 300 && status <= 399) {
      return {
        result: { ok: false, info: redirected(status, headers.get('location'), request.url) },
        status,
      };
    }
    if (status < 200 || status > 299) {
      // Redacted before mapping, which may shorten a message and cut an echoed token in two.
      return { result: { ok: false, info: mapHttpError(status, redact(text), headers, operation) }, status };
    }
    const endpoint = `${request.method} ${pathOf(request)}`;
    let body: unknown;
    try {
      body = parseLosslessJson(text);
    } catch {
      return { result: { ok: false, info: unexpected(status, 'a body that is not JSON', endpoint) }, status };
    }
    try {
      return { result: { ok: true, value: read(body) }, status };
    } catch (error) {
      if (!(error instanceof UnexpectedBody)) throw error;
      return { result: { ok: false, info: unexpected(status, error.message, endpoint) }, status };
    }
  }

  async function send<T>(
    operation: SmartsheetOperation,
    request: HttpRequest,
    read: (body: unknown) => T,
  ): Promise<T> {
    const path = pathOf(request);
    let firstStart: number | undefined;
    for (let attempt = 1; ; attempt++) {
      await slots.acquire();
      let outcome: { result: Attempt<T>; status?: number };
      let started: number;
      try {
        await pacer.wait();
        // The abort may have come while this request waited for a slot or its turn: it is not sent.
        if (signal?.aborted) throw new SmartsheetApiError(notSentInfo());
        started = now();
        firstStart ??= started;
        outcome = await attemptOnce(operation, request, read);
      } finally {
        slots.release();
      }
      const { result, status } = outcome;
      onAttempt?.({
        method: request.method,
        path,
        ...(status !== undefined && { status }),
        attempt,
        ms: Math.round(now() - started),
        ...(!result.ok && { error: result.info.kind }),
      });
      if (result.ok) return result.value;
      const info = redactInfo(result.info);
      if (!info.retryable) throw new SmartsheetApiError(info);
      if (signal?.aborted) throw interrupted(info);
      const elapsed = now() - firstStart;
      const remaining = maxRetryTimeMs - elapsed;
      // A Retry-After is the server's word: trying sooner is pointless, so one past the budget ends here.
      // Our own backoff is a guess: its last wait is cut to end with the budget, so the final try comes
      // at the end of it rather than half-way (a doubling backoff would otherwise stop near half).
      const delay =
        info.retryAfterMs ??
        Math.min(2 ** (attempt - 1) * retryBaseDelayMs + random() * retryBaseDelayMs, remaining);
      const outOfAttempts = info.maxAttempts !== undefined && attempt >= info.maxAttempts;
      if (remaining <= 0 || delay > remaining || outOfAttempts) {
        const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
        throw new SmartsheetApiError({
          ...info,
          message: `${info.message} (gave up after ${tries} in ${(elapsed / 1000).toFixed(1)} s)`,
        });
      }
      onRetry?.({
        method: request.method,
        path,
        attempt,
        delayMs: delay,
        ...(info.maxAttempts !== undefined && { maxAttempts: info.maxAttempts }),
        budgetMs: maxRetryTimeMs,
        error: info,
      });
      await sleep(delay, signal);
      if (signal?.aborted) throw interrupted(info);
    }
  }

  return {
    getCurrentUser: async () => send('getCurrentUser', requests.getCurrentUser(), readUser),
    getUser: async (id) => send('getUser', requests.getUser(id), readUser),
    listUsers: async (query) => send('listUsers', requests.listUsers(query), readPage),
    deactivateUser: async (id) => send('deactivateUser', requests.deactivateUser(id), readResult),
    reactivateUser: async (id) => send('reactivateUser', requests.reactivateUser(id), readResult),
  };
}

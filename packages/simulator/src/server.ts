import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ERRORS, type ErrorAnswer, ISP_DOMAINS, invalidParameter, outOfRange } from './errors.js';
import {
  type Endpoint,
  type FaultDecision,
  FaultInjector,
  type FaultOptions,
  type ScriptedFault,
} from './faults.js';
import { Journal, type JournalEntry, journalHeaders } from './journal.js';
import { stringifyExact } from './json.js';
import { RateLimiter } from './rate-limit.js';
import { listedUser, userProfile } from './render.js';
import { refusal } from './rules.js';
import { buildOrg, loadSeed, type Org, type Seed, type UserRecord, type UserStatus } from './seed.js';

export const API_PREFIX = '/2.0';
const CONTROL_PREFIX = '/__simulator/';
const MAX_PAGE_SIZE = 2000;
const DEFAULT_PAGE_SIZE = 100;
const MAX_ID = 2n ** 63n - 1n;
const MAX_PAGE = 2 ** 31 - 1;

export interface SimulatorOptions {
  /** The organisation to serve (see `Seed`); or `seedFile`. */
  seed?: Seed;
  /** A YAML or JSON seed file, read at start. */
  seedFile?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Per token, per rolling minute (default 300, Smartsheet's limit); `Infinity` turns the limit off. */
  requestsPerMinute?: number;
  /** Speeds up the rate-limit minute: 100 makes it last 600 ms (default 1). */
  timeScale?: number;
  /**
   * Smartsheet documents no `Retry-After`; when set, 429 answers carry one: a fixed number of
   * seconds, or `auto` for the real seconds until the window frees a slot (or a 429 storm ends).
   */
  retryAfterSeconds?: number | 'auto';
  faults?: FaultOptions;
  /** Wall clock in epoch milliseconds, for deactivation times and the reactivation window (default `Date.now`). */
  now?: () => number;
  /** Called after each API request is answered (e.g. for a request log). */
  onRequest?: (entry: JournalEntry) => void;
}

/** One user's current state: the simulator's record, with its times as ISO 8601 rather than epoch ms. */
export type UserState = Omit<UserRecord, 'deactivatedAt' | 'reactivatedAt'> & {
  deactivatedAt?: string;
  reactivatedAt?: string;
};

export interface SimulatorState {
  account: { id: string; name: string };
  planDomains: string[];
  gov: boolean;
  settings: {
    alreadyDeactivated: 'succeed' | 'error';
    alreadyActive: 'succeed' | 'error';
    reactivationWindowDays: number;
    ispDomains: string[];
  };
  rateLimit: { requestsPerMinute: number; timeScale: number; windowMs: number };
  faults: FaultOptions;
  /** Number of users per status. */
  counts: Record<UserStatus, number>;
  users: UserState[];
  requests: number;
}

export interface Simulator {
  /** Base URL including the API prefix, e.g. `http://127.0.0.1:41234/2.0`: what clients take as `baseUrl`. */
  readonly url: string;
  /** `http://127.0.0.1:41234`: the control endpoints live under `/__simulator/`. */
  readonly origin: string;
  readonly port: number;
  /** Every API request so far, in arrival order (a copy). */
  journal(since?: number): JournalEntry[];
  clearJournal(): void;
  /** A user's current state, or undefined when the ID is unknown. */
  user(id: string): UserState | undefined;
  state(): SimulatorState;
  /** Back to the seed and the start options: users, journal, rate-limit windows and faults. */
  reset(): void;
  /** Replaces the fault settings; storm times count from now. */
  setFaults(faults: FaultOptions): void;
  /** Makes the next matching request(s) fail exactly this way, before any random fault. */
  failNext(fault: ScriptedFault): void;
  /** Closes the server and its connections; calling it again returns the same promise. */
  stop(): Promise<void>;
}

interface Route {
  endpoint: Endpoint;
  userId?: string;
}

function toUserState(user: UserRecord): UserState {
  const { deactivatedAt, reactivatedAt, ...rest } = user;
  return {
    ...rest,
    ...(deactivatedAt === undefined ? {} : { deactivatedAt: new Date(deactivatedAt).toISOString() }),
    ...(reactivatedAt === undefined ? {} : { reactivatedAt: new Date(reactivatedAt).toISOString() }),
  };
}

/** A user ID in a path, as Smartsheet's (Java `long`) parsing would accept it; undefined when malformed. */
function pathUserId(segment: string): string | undefined {
  if (!/^\d{1,25}$/.test(segment)) return undefined;
  const id = BigInt(segment);
  return id > MAX_ID ? undefined : id.toString();
}

/** Matches a path to one of the five endpoints, or to the error Smartsheet gives for it. */
function route(method: string, path: string): Route | { error: ErrorAnswer; allow?: string } {
  if (!path.startsWith(`${API_PREFIX}/`)) {
    return { error: /^\/\d+\.\d+\//.test(path) ? ERRORS.versionNotSupported : ERRORS.notFound };
  }
  const parts = path.slice(API_PREFIX.length + 1).split('/');
  if (parts[0] !== 'users' || parts.length > 3) return { error: ERRORS.notFound };
  let matched: Route;
  let allow = 'GET';
  if (parts.length === 1) matched = { endpoint: 'listUsers' };
  else if (parts.length === 2 && parts[1] === 'me') matched = { endpoint: 'getCurrentUser' };
  else {
    const userId = pathUserId(parts[1]!);
    if (!userId) return { error: ERRORS.notFound };
    if (parts.length === 2) matched = { endpoint: 'getUser', userId };
    else if (parts[2] === 'deactivate' || parts[2] === 'reactivate') {
      matched = { endpoint: parts[2] === 'deactivate' ? 'deactivateUser' : 'reactivateUser', userId };
      allow = 'POST';
    } else return { error: ERRORS.notFound };
  }
  return method === allow ? matched : { error: ERRORS.methodNotSupported, allow };
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function newRefId(): string {
  return randomBytes(8).readBigUInt64BE().toString(36).padStart(13, '0').slice(-12);
}

/** A whole-number query parameter from 1 to `max` (`fallback` when absent), or Smartsheet's refusal of it. */
function wholeNumberParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max: number,
): number | ErrorAnswer {
  const text = query.get(name);
  if (text === null) return fallback;
  if (!/^-?\d+$/.test(text)) return invalidParameter(text, name);
  const value = Number(text);
  return value < 1 || value > max ? outOfRange(text, name, 1, max) : value;
}

function checkPositive(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new RangeError(
      `Invalid simulator option ${option} ${JSON.stringify(value)}: a number greater than 0`,
    );
  }
  return value;
}

/** Starts the simulator on 127.0.0.1 (any free port by default). Stop it with `stop()`. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const now = options.now ?? Date.now;
  const monotonic = () => performance.now();
  const seed = options.seed ?? (options.seedFile ? await loadSeed(options.seedFile) : {});
  const startedAt = now();
  const org: Org = buildOrg(seed, startedAt, ISP_DOMAINS);
  const requestsPerMinute = checkPositive('requestsPerMinute', options.requestsPerMinute, 300);
  if (Number.isFinite(requestsPerMinute) && !Number.isSafeInteger(requestsPerMinute)) {
    throw new RangeError(
      `Invalid simulator option requestsPerMinute ${requestsPerMinute}: a whole number or Infinity`,
    );
  }
  const timeScale = checkPositive('timeScale', options.timeScale, 1);
  const retryAfter = options.retryAfterSeconds;
  if (
    retryAfter !== undefined &&
    retryAfter !== 'auto' &&
    !(typeof retryAfter === 'number' && retryAfter >= 0)
  ) {
    throw new RangeError(
      `Invalid simulator option retryAfterSeconds ${JSON.stringify(retryAfter)}: seconds ≥ 0 or 'auto'`,
    );
  }
  const limiter = Number.isFinite(requestsPerMinute)
    ? new RateLimiter(requestsPerMinute, timeScale)
    : undefined;
  const initialFaults = options.faults ?? {};
  const faults = new FaultInjector(initialFaults, monotonic());
  const journal = new Journal();

  let users = new Map<string, UserRecord>();
  let usersByEmail = new Map<string, UserRecord>();
  let positions = new Map<string, number>();
  let userOrder: UserRecord[] = [];
  function loadUsers(): void {
    userOrder = org.users.map((user) => ({ ...user }));
    users = new Map(userOrder.map((user) => [user.id, user]));
    usersByEmail = new Map(userOrder.map((user) => [user.email.toLowerCase(), user]));
    positions = new Map(userOrder.map((user, index) => [user.id, index]));
  }
  loadUsers();

  const pendingDelays = new Set<NodeJS.Timeout>();
  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pendingDelays.delete(timer);
        resolve();
      }, ms);
      pendingDelays.add(timer);
    });
  }

  function listUsers(caller: UserRecord, query: URLSearchParams): ErrorAnswer | Record<string, unknown> {
    const includeAll = query.get('includeAll') === 'true';
    // page is a Java int on Smartsheet's side: past its range is refused, not read as the last page.
    const page = wholeNumberParam(query, 'page', 1, MAX_PAGE);
    if (typeof page !== 'number') return page;
    const pageSize = wholeNumberParam(query, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    if (typeof pageSize !== 'number') return pageSize;
    let matching = userOrder;
    const emailFilter = query.get('email');
    if (emailFilter) {
      const found = new Set<UserRecord>();
      for (const email of emailFilter.split(',')) {
        const user = usersByEmail.get(email.trim().toLowerCase());
        if (user) found.add(user);
      }
      matching = [...found].sort((a, b) => positions.get(a.id)! - positions.get(b.id)!);
    }
    const totalCount = matching.length;
    const isAdmin = caller.admin;
    if (includeAll) {
      return {
        pageNumber: 1,
        totalPages: 1,
        totalCount,
        data: matching.map((user) => listedUser(user, isAdmin)),
      };
    }
    const totalPages = Math.ceil(totalCount / pageSize);
    // Smartsheet answers a page past the end with the last page.
    const pageNumber = Math.max(1, Math.min(page, totalPages));
    const start = (pageNumber - 1) * pageSize;
    const data = matching.slice(start, start + pageSize).map((user) => listedUser(user, isAdmin));
    return { pageNumber, pageSize, totalPages, totalCount, data };
  }

  function changeStatus(operation: 'deactivate' | 'reactivate', caller: UserRecord, userId: string) {
    const target = users.get(userId);
    const refused = refusal(operation, org, caller, target, now());
    if (refused) return refused;
    if (operation === 'deactivate' && target!.status !== 'DEACTIVATED') {
      target!.status = 'DEACTIVATED';
      target!.deactivatedAt = now();
      delete target!.reactivatedAt;
    } else if (operation === 'reactivate' && target!.status === 'DEACTIVATED') {
      target!.status = 'ACTIVE';
      target!.reactivatedAt = now();
      delete target!.deactivatedAt;
    }
    return { message: 'SUCCESS', resultCode: 0 };
  }

  function answerFor(
    route: Route,
    caller: UserRecord,
    query: URLSearchParams,
  ): ErrorAnswer | Record<string, unknown> {
    switch (route.endpoint) {
      case 'listUsers':
        return listUsers(caller, query);
      case 'getCurrentUser':
        return userProfile(caller, org, true);
      case 'getUser': {
        const user = users.get(route.userId!);
        return user ? userProfile(user, org, caller.admin || user === caller) : ERRORS.userNotFound;
      }
      case 'deactivateUser':
        return changeStatus('deactivate', caller, route.userId!);
      case 'reactivateUser':
        return changeStatus('reactivate', caller, route.userId!);
    }
  }

  function isErrorAnswer(value: ErrorAnswer | Record<string, unknown>): value is ErrorAnswer {
    return typeof value.errorCode === 'number' && typeof value.status === 'number';
  }

  function send(
    response: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ) {
    response.writeHead(status, {
      'content-type': 'application/json;charset=UTF-8',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    });
    response.end(body);
  }

  function sendError(response: ServerResponse, entry: JournalEntry, error: ErrorAnswer, headers = {}): void {
    entry.status = error.status;
    entry.errorCode = error.errorCode;
    const body = JSON.stringify({ errorCode: error.errorCode, message: error.message, refId: newRefId() });
    send(response, error.status, body, headers);
  }

  /** `Retry-After` only when configured; `auto` gives `autoSeconds` (at least 1). */
  function retryAfterHeader(autoSeconds: number): Record<string, string> {
    if (retryAfter === undefined) return {};
    return { 'retry-after': String(retryAfter === 'auto' ? Math.max(1, autoSeconds) : retryAfter) };
  }

  function rateLimitHeaders(token: string | undefined): Record<string, string> {
    return retryAfterHeader(token && limiter ? limiter.secondsUntilFree(token, monotonic()) : 1);
  }

  async function handleApi(
    request: IncomingMessage,
    response: ServerResponse,
    query: URLSearchParams,
    entry: JournalEntry,
  ) {
    const matched = route(entry.method, entry.path);
    if ('error' in matched) {
      return sendError(response, entry, matched.error, matched.allow ? { allow: matched.allow } : {});
    }
    entry.endpoint = matched.endpoint;
    if (matched.userId) entry.userId = matched.userId;
    const token = bearerToken(request.headers.authorization);
    const tokenInfo = token === undefined ? undefined : org.tokens.get(token);
    if (tokenInfo) entry.callerId = tokenInfo.userId;

    const storm = faults.storm(matched.endpoint, monotonic());
    if (storm) {
      entry.fault = 'storm';
      const headers =
        storm.answer.status === 429 ? retryAfterHeader(Math.ceil(storm.remainingMs / 1000)) : {};
      return sendError(response, entry, storm.answer, headers);
    }
    // Like a gateway, the limit counts per presented token before the token is checked.
    if (token !== undefined && limiter && !limiter.take(token, monotonic())) {
      return sendError(response, entry, ERRORS.rateLimited, rateLimitHeaders(token));
    }
    const fault: FaultDecision | undefined = faults.decide(matched.endpoint, matched.userId);
    if (fault?.kind === 'slow') {
      entry.fault = fault.fault;
      await delay(fault.ms);
      if (response.destroyed) return;
    } else if (fault && !fault.afterApplying) {
      return failWith(request, response, entry, fault, token);
    }

    const answer = authenticatedAnswer(matched, query, token, tokenInfo);
    if (isErrorAnswer(answer)) return sendError(response, entry, answer);
    if (fault && fault.kind !== 'slow') {
      // The change is made; only the answer is lost.
      entry.applied = true;
      return failWith(request, response, entry, fault, token);
    }
    entry.status = 200;
    send(response, 200, stringifyExact(answer));
  }

  function authenticatedAnswer(
    matched: Route,
    query: URLSearchParams,
    token: string | undefined,
    tokenInfo: { userId: string; expired: boolean } | undefined,
  ): ErrorAnswer | Record<string, unknown> {
    if (token === undefined) return ERRORS.tokenMissing;
    if (!tokenInfo) return ERRORS.tokenInvalid;
    if (tokenInfo.expired) return ERRORS.tokenExpired;
    return answerFor(matched, users.get(tokenInfo.userId)!, query);
  }

  function failWith(
    request: IncomingMessage,
    response: ServerResponse,
    entry: JournalEntry,
    fault: Exclude<FaultDecision, { kind: 'slow' }>,
    token: string | undefined,
  ): void {
    entry.fault = fault.fault;
    if (fault.kind === 'reset') {
      entry.status = 0;
      request.socket.destroy();
      return;
    }
    const headers = fault.answer.status === 429 ? rateLimitHeaders(token) : {};
    sendError(response, entry, fault.answer, headers);
  }

  function state(): SimulatorState {
    const counts: Record<UserStatus, number> = { ACTIVE: 0, DEACTIVATED: 0, PENDING: 0, DECLINED: 0 };
    for (const user of userOrder) counts[user.status] += 1;
    return {
      account: { ...org.account },
      planDomains: [...org.planDomains],
      gov: org.gov,
      settings: {
        alreadyDeactivated: org.settings.alreadyDeactivated,
        alreadyActive: org.settings.alreadyActive,
        reactivationWindowDays: org.settings.reactivationWindowDays,
        ispDomains: [...org.settings.ispDomains],
      },
      rateLimit: { requestsPerMinute, timeScale, windowMs: 60_000 / timeScale },
      faults: faults.current,
      counts,
      users: userOrder.map(toUserState),
      requests: journal.size,
    };
  }

  function reset(): void {
    loadUsers();
    journal.clear();
    limiter?.reset();
    faults.set(initialFaults, monotonic());
    faults.clearScript();
  }

  async function handleControl(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    query: URLSearchParams,
    body: string,
  ) {
    const action = `${request.method} ${path.slice(CONTROL_PREFIX.length)}`;
    const json = (status: number, value: unknown) => send(response, status, JSON.stringify(value));
    try {
      switch (action) {
        case 'GET requests': {
          const since = query.get('since') ?? '0';
          // A mistyped `since` would otherwise filter out every entry and look like an empty journal.
          if (!/^\d+$/.test(since)) {
            return json(400, {
              message: `Invalid since ${JSON.stringify(since)}: a whole number, 0 or more`,
            });
          }
          return json(200, { requests: journal.list(Number(since)) });
        }
        case 'DELETE requests':
          journal.clear();
          return json(200, { cleared: true });
        case 'GET state':
          return json(200, state());
        case 'POST reset':
          reset();
          return json(200, { reset: true });
        case 'GET faults':
          return json(200, faults.current);
        case 'PUT faults':
          faults.set(JSON.parse(body || '{}'), monotonic());
          return json(200, faults.current);
        case 'POST fail-next':
          faults.script(JSON.parse(body || '{}'));
          return json(200, { scripted: true });
      }
      const userMatch = /^GET users\/(\d+)$/.exec(action);
      const user = userMatch && users.get(pathUserId(userMatch[1]!) ?? '');
      if (user) return json(200, toUserState(user));
      return json(404, { message: `Unknown simulator control or user: ${action}` });
    } catch (error) {
      return json(400, { message: error instanceof Error ? error.message : String(error) });
    }
  }

  const server = createServer((request, response) => {
    const arrivedAt = monotonic();
    const rawUrl = request.url ?? '/';
    const queryIndex = rawUrl.indexOf('?');
    const path = queryIndex < 0 ? rawUrl : rawUrl.slice(0, queryIndex);
    const query = new URLSearchParams(queryIndex < 0 ? '' : rawUrl.slice(queryIndex + 1));
    readBody(request)
      .then(async (body) => {
        if (path.startsWith(CONTROL_PREFIX)) return handleControl(request, response, path, query, body);
        const entry: JournalEntry = {
          seq: journal.nextSequence(),
          time: now(),
          method: request.method ?? 'GET',
          path,
          query: Object.fromEntries(query),
          headers: journalHeaders(request.headers),
          body,
          status: 0,
          durationMs: 0,
        };
        try {
          await handleApi(request, response, query, entry);
        } finally {
          entry.durationMs = monotonic() - arrivedAt;
          journal.append(entry);
          options.onRequest?.(entry);
        }
      })
      .catch((error: unknown) => {
        // A bug in the simulator, not a simulated fault: answer 500/4000 and say why on stderr.
        console.error('smartsheet-simulator: internal error', error);
        if (!response.headersSent) {
          const { errorCode, message } = ERRORS.unexpected;
          send(response, 500, JSON.stringify({ errorCode, message, refId: newRefId() }));
        }
      });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Stopping twice (a test's own stop, then its afterEach) is harmless.
  let stopping: Promise<void> | undefined;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: origin + API_PREFIX,
    origin,
    port,
    journal: (since?: number) => journal.list(since),
    clearJournal: () => journal.clear(),
    user: (id: string) => {
      const user = users.get(id);
      return user && toUserState(user);
    },
    state,
    reset,
    setFaults: (faultOptions: FaultOptions) => faults.set(faultOptions, monotonic()),
    failNext: (fault: ScriptedFault) => faults.script(fault),
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        for (const timer of pendingDelays) clearTimeout(timer);
        pendingDelays.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

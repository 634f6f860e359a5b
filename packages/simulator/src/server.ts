import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTROL_PREFIX, type ControlTarget, controlAnswer } from './control.js';
import { ERRORS, type ErrorAnswer, ISP_DOMAINS } from './errors.js';
import { type FaultDecision, FaultInjector, type FaultOptions, type ScriptedFault } from './faults.js';
import { Journal, type JournalEntry, journalHeaders } from './journal.js';
import { stringifyExact } from './json.js';
import { RateLimiter } from './rate-limit.js';
import { API_PREFIX, bearerToken, endpointAnswer, isErrorAnswer, route } from './routes.js';
import { buildOrg, loadSeed } from './seed.js';
import type { Org, Seed, UserStatus } from './seed-format.js';
import { toUserState, type UserState, UserStore } from './store.js';

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

  const store = new UserStore(org, now);

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
    if (fault?.kind === 'result') {
      entry.fault = fault.fault;
      entry.status = 200;
      return send(response, 200, JSON.stringify(fault.result));
    }
    if (fault?.kind === 'slow') {
      entry.fault = fault.fault;
      await delay(fault.ms);
      if (response.destroyed) return;
    } else if (fault && !fault.afterApplying) {
      return failWith(request, response, entry, fault, token);
    }

    const answer = endpointAnswer(matched, query, token, org, store);
    if (isErrorAnswer(answer)) return sendError(response, entry, answer);
    if (fault && fault.kind !== 'slow') {
      // The change is made; only the answer is lost.
      entry.applied = true;
      return failWith(request, response, entry, fault, token);
    }
    entry.status = 200;
    send(response, 200, stringifyExact(answer));
  }

  function failWith(
    request: IncomingMessage,
    response: ServerResponse,
    entry: JournalEntry,
    fault: Exclude<FaultDecision, { kind: 'slow' | 'result' }>,
    token: string | undefined,
  ): void {
    entry.fault = fault.fault;
    if (fault.kind === 'reset') {
      entry.status = 0;
      request.socket.destroy();
      return;
    }
    if (fault.kind === 'gateway') {
      // A proxy's page, not Smartsheet's JSON: no errorCode.
      entry.status = fault.answer.status;
      response.writeHead(fault.answer.status, {
        'content-type': fault.answer.contentType,
        'content-length': String(Buffer.byteLength(fault.answer.body)),
      });
      response.end(fault.answer.body);
      return;
    }
    const headers = fault.answer.status === 429 ? rateLimitHeaders(token) : {};
    sendError(response, entry, fault.answer, headers);
  }

  function state(): SimulatorState {
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
      counts: store.counts(),
      users: store.states(),
      requests: journal.size,
    };
  }

  function reset(): void {
    store.reset();
    journal.clear();
    limiter?.reset();
    faults.set(initialFaults, monotonic());
    faults.clearScript();
  }

  const control: ControlTarget = {
    journal: (since) => journal.list(since),
    clearJournal: () => journal.clear(),
    state,
    reset,
    faults: () => faults.current,
    setFaults: (faultOptions) => faults.set(faultOptions, monotonic()),
    failNext: (fault) => faults.script(fault),
    user: (id) => store.get(id),
  };

  const server = createServer((request, response) => {
    const arrivedAt = monotonic();
    const rawUrl = request.url ?? '/';
    const queryIndex = rawUrl.indexOf('?');
    const path = queryIndex < 0 ? rawUrl : rawUrl.slice(0, queryIndex);
    const query = new URLSearchParams(queryIndex < 0 ? '' : rawUrl.slice(queryIndex + 1));
    readBody(request)
      .then(async (body) => {
        if (path.startsWith(CONTROL_PREFIX)) {
          const answer = controlAnswer(control, request.method ?? 'GET', path, query, body);
          return send(response, answer.status, JSON.stringify(answer.body));
        }
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
    clearJournal: control.clearJournal,
    user: (id: string) => {
      const user = store.get(id);
      return user && toUserState(user);
    },
    state,
    reset,
    setFaults: control.setFaults,
    failNext: control.failNext,
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

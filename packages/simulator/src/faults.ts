import { ERRORS, type ErrorAnswer, FAULT_ERRORS } from './errors.js';

/** The five endpoints, by the names the journal and fault filters use. */
export const ENDPOINTS = [
  'listUsers',
  'getCurrentUser',
  'getUser',
  'deactivateUser',
  'reactivateUser',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/**
 * Random faults: Smartsheet's retryable 5xx answers (by errorCode), a connection reset, a slow answer,
 * and what a proxy or load balancer in front of Smartsheet sends: 502 and 503 with an HTML page, 504
 * with an empty body.
 */
export const FAULT_KINDS = [
  'reset',
  'slow',
  '4000',
  '4001',
  '4002',
  '4004',
  'gateway-502',
  'gateway-503',
  'gateway-504',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The gateway faults: an HTTP status and a body that is not Smartsheet's. */
export const GATEWAY_ANSWERS = {
  'gateway-502': {
    status: 502,
    contentType: 'text/html',
    body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
  },
  'gateway-503': {
    status: 503,
    contentType: 'text/html',
    body: '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>',
  },
  'gateway-504': { status: 504, contentType: 'text/plain', body: '' },
} as const satisfies Record<string, { status: number; contentType: string; body: string }>;
export type GatewayAnswer = (typeof GATEWAY_ANSWERS)[keyof typeof GATEWAY_ANSWERS];

/** A period when every request (to the chosen endpoints) fails the same way. */
export interface StormOptions {
  /** Milliseconds (real time) after the faults are set (at start or by `setFaults`) that the storm begins. Default 0. */
  startMs?: number;
  durationMs: number;
  /** 429 (4003, the default), 500 (4004 unless `errorCode` says 4000 or 4002) or 503 (4001). */
  status?: 429 | 500 | 503;
  errorCode?: 4000 | 4002 | 4004;
}

export interface FaultOptions {
  /** Seeds the random draws: the same seed and the same request sequence give the same faults. */
  seed?: number | string;
  /** Probability in [0, 1] per request for each kind; their sum must not exceed 1. */
  rates?: Partial<Record<FaultKind, number>>;
  /** How long a `slow` answer is held back, in real milliseconds (default 1000). */
  slowMs?: number;
  /** Endpoints that random faults and storms apply to (default: all five). */
  endpoints?: Endpoint[];
  storms?: StormOptions[];
  /**
   * When true, random 4000/4002/4004 and reset faults on deactivate and reactivate strike after the
   * change was made (a server that timed out or dropped the connection once the work was done), so a
   * client that retries meets a user who is already deactivated. Default false: a failed request changed nothing.
   */
  afterApplying?: boolean;
}

/** A fault for the next matching request(s), for tests that need an exact sequence. */
export interface ScriptedFault {
  /**
   * `answer`: reply with `answer` (any Smartsheet-shaped error, e.g. a code clients do not know).
   * `result`: a deactivate or reactivate answers 200 with `result` and changes nothing (a
   * `PARTIAL_SUCCESS`, say).
   */
  fault: FaultKind | '429' | 'answer' | 'result';
  /** For `answer`: the HTTP status, errorCode and message to send. */
  answer?: ErrorAnswer;
  /** For `result`: the body's `message` and `resultCode`. */
  result?: { message: string; resultCode: number };
  /** How many matching requests get it (default 1). */
  count?: number;
  endpoint?: Endpoint;
  userId?: string;
  /** As `FaultOptions.afterApplying`, for this fault (4000, 4002, 4004 or reset on deactivate/reactivate). */
  afterApplying?: boolean;
}

export type FaultDecision =
  | { kind: 'error'; answer: ErrorAnswer; fault: string; afterApplying: boolean }
  | { kind: 'reset'; fault: 'reset'; afterApplying: boolean }
  | { kind: 'gateway'; answer: GatewayAnswer; fault: string; afterApplying: boolean }
  | { kind: 'result'; result: { message: string; resultCode: number }; fault: 'result'; afterApplying: false }
  | { kind: 'slow'; ms: number; fault: 'slow' };

/** Faults a server can raise after doing the work; gateway answers (429, 503 maintenance) come before it. */
const LATE_FAULTS: ReadonlySet<string> = new Set([
  'reset',
  '4000',
  '4002',
  '4004',
  'gateway-502',
  'gateway-504',
]);
const CHANGING_ENDPOINTS: ReadonlySet<Endpoint> = new Set(['deactivateUser', 'reactivateUser']);

function invalid(option: string, value: unknown, allowed: string): never {
  throw new RangeError(`Invalid simulator option ${option} ${JSON.stringify(value)}: ${allowed}`);
}

/** mulberry32: small, fast and good enough to spread faults evenly; deterministic from its seed. */
function seededRandom(seed: number | string): () => number {
  let state = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}

function stormAnswer(storm: StormOptions): ErrorAnswer {
  if (storm.status === 503) return ERRORS.maintenance;
  if (storm.status === 500) return FAULT_ERRORS[storm.errorCode ?? 4004];
  return ERRORS.rateLimited;
}

function isGateway(fault: string): fault is keyof typeof GATEWAY_ANSWERS {
  return Object.hasOwn(GATEWAY_ANSWERS, fault);
}

function decision(
  fault: Exclude<ScriptedFault['fault'], 'answer' | 'result'>,
  slowMs: number,
  afterApplying: boolean,
): FaultDecision {
  if (fault === 'reset') return { kind: 'reset', fault, afterApplying };
  if (isGateway(fault)) return { kind: 'gateway', answer: GATEWAY_ANSWERS[fault], fault, afterApplying };
  if (fault === 'slow') return { kind: 'slow', ms: slowMs, fault };
  if (fault === '429') return { kind: 'error', answer: ERRORS.rateLimited, fault, afterApplying: false };
  return { kind: 'error', answer: FAULT_ERRORS[fault], fault, afterApplying };
}

function checkAnswer(answer: ErrorAnswer | undefined): ErrorAnswer {
  if (typeof answer !== 'object' || answer === null) {
    invalid('failNext.answer', answer, '{ status, errorCode, message } for fault answer');
  }
  const { status, errorCode, message } = answer;
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    invalid('failNext.answer.status', status, 'an HTTP error status from 400 to 599');
  }
  if (!Number.isSafeInteger(errorCode)) invalid('failNext.answer.errorCode', errorCode, 'an integer');
  if (typeof message !== 'string') invalid('failNext.answer.message', message, 'a string');
  return { status, errorCode, message };
}

function checkFaultOptions(options: FaultOptions): void {
  let total = 0;
  for (const [kind, rate] of Object.entries(options.rates ?? {})) {
    if (!FAULT_KINDS.includes(kind as FaultKind))
      invalid('faults.rates', kind, `one of ${FAULT_KINDS.join(', ')}`);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
      invalid(`faults.rates.${kind}`, rate, 'a number from 0 to 1');
    total += rate;
  }
  // A little slack: rates computed as 1 - x plus x/3 three times may add up to 1.0000000000000002.
  if (total > 1 + 1e-9) invalid('faults.rates', options.rates, 'rates adding up to at most 1');
  if (options.slowMs !== undefined && !(options.slowMs >= 0))
    invalid('faults.slowMs', options.slowMs, 'milliseconds ≥ 0');
  if (options.afterApplying !== undefined && typeof options.afterApplying !== 'boolean') {
    invalid('faults.afterApplying', options.afterApplying, 'true or false');
  }
  for (const endpoint of options.endpoints ?? []) {
    if (!ENDPOINTS.includes(endpoint))
      invalid('faults.endpoints', endpoint, `one of ${ENDPOINTS.join(', ')}`);
  }
  for (const storm of options.storms ?? []) {
    if (!(storm.durationMs >= 0)) invalid('faults.storms[].durationMs', storm.durationMs, 'milliseconds ≥ 0');
    if (storm.startMs !== undefined && !(storm.startMs >= 0)) {
      invalid('faults.storms[].startMs', storm.startMs, 'milliseconds ≥ 0');
    }
    if (storm.status !== undefined && ![429, 500, 503].includes(storm.status)) {
      invalid('faults.storms[].status', storm.status, '429, 500 or 503');
    }
    if (storm.errorCode !== undefined && ![4000, 4002, 4004].includes(storm.errorCode)) {
      invalid('faults.storms[].errorCode', storm.errorCode, '4000, 4002 or 4004');
    }
  }
}

function checkResult(result: ScriptedFault['result']): { message: string; resultCode: number } {
  if (typeof result !== 'object' || result === null) {
    invalid('failNext.result', result, '{ message, resultCode } for fault result');
  }
  if (typeof result.message !== 'string') invalid('failNext.result.message', result.message, 'a string');
  if (!Number.isSafeInteger(result.resultCode)) {
    invalid('failNext.result.resultCode', result.resultCode, 'an integer');
  }
  return { message: result.message, resultCode: result.resultCode };
}

/** Decides, per request, whether a fault replaces the normal answer. */
export class FaultInjector {
  private random: () => number;
  private armedAt: number;
  private readonly scripted: Array<Required<Pick<ScriptedFault, 'fault' | 'count'>> & ScriptedFault> = [];
  private static readonly SCRIPTABLE: readonly string[] = [...FAULT_KINDS, '429', 'answer', 'result'];

  constructor(
    private options: FaultOptions,
    nowMs: number,
  ) {
    checkFaultOptions(options);
    this.random = seededRandom(options.seed ?? 1);
    this.armedAt = nowMs;
  }

  get current(): FaultOptions {
    return this.options;
  }

  /** Replaces the fault settings; storm times count from now and the random sequence restarts. */
  set(options: FaultOptions, nowMs: number): void {
    checkFaultOptions(options);
    this.options = options;
    this.random = seededRandom(options.seed ?? 1);
    this.armedAt = nowMs;
  }

  script(fault: ScriptedFault): void {
    const count = fault.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1) invalid('failNext.count', count, 'an integer ≥ 1');
    if (!FaultInjector.SCRIPTABLE.includes(fault.fault)) {
      invalid('failNext.fault', fault.fault, `one of ${FaultInjector.SCRIPTABLE.join(', ')}`);
    }
    if (fault.afterApplying && !LATE_FAULTS.has(fault.fault)) {
      invalid('failNext.afterApplying', fault.fault, `a fault among ${[...LATE_FAULTS].join(', ')}`);
    }
    if (fault.fault === 'answer') this.scripted.push({ ...fault, answer: checkAnswer(fault.answer), count });
    else if (fault.fault === 'result') {
      if (!fault.endpoint || !CHANGING_ENDPOINTS.has(fault.endpoint)) {
        invalid('failNext.endpoint', fault.endpoint, 'deactivateUser or reactivateUser for fault result');
      }
      this.scripted.push({ ...fault, result: checkResult(fault.result), count });
    } else this.scripted.push({ ...fault, count });
  }

  clearScript(): void {
    this.scripted.length = 0;
  }

  /** A storm answer, if one is raging for this endpoint now. */
  storm(endpoint: Endpoint, nowMs: number): { answer: ErrorAnswer; remainingMs: number } | undefined {
    const { storms, endpoints } = this.options;
    if (!storms?.length || (endpoints && !endpoints.includes(endpoint))) return undefined;
    const elapsed = nowMs - this.armedAt;
    for (const storm of storms) {
      const start = storm.startMs ?? 0;
      const end = start + storm.durationMs;
      if (elapsed >= start && elapsed < end)
        return { answer: stormAnswer(storm), remainingMs: end - elapsed };
    }
    return undefined;
  }

  /** Scripted faults first (in the order given), then one seeded random draw per request. */
  decide(endpoint: Endpoint, userId: string | undefined): FaultDecision | undefined {
    const slowMs = this.options.slowMs ?? 1000;
    const index = this.scripted.findIndex(
      (fault) =>
        (fault.endpoint === undefined || fault.endpoint === endpoint) &&
        (fault.userId === undefined || fault.userId === userId),
    );
    if (index >= 0) {
      const fault = this.scripted[index]!;
      fault.count -= 1;
      if (fault.count === 0) this.scripted.splice(index, 1);
      if (fault.fault === 'answer') {
        return { kind: 'error', answer: fault.answer!, fault: 'answer', afterApplying: false };
      }
      if (fault.fault === 'result') {
        return { kind: 'result', result: fault.result!, fault: 'result', afterApplying: false };
      }
      const late =
        fault.afterApplying === true && LATE_FAULTS.has(fault.fault) && CHANGING_ENDPOINTS.has(endpoint);
      return decision(fault.fault, slowMs, late);
    }
    const { rates, endpoints } = this.options;
    if (!rates || (endpoints && !endpoints.includes(endpoint))) return undefined;
    let draw = this.random();
    for (const kind of FAULT_KINDS) {
      const rate = rates[kind] ?? 0;
      if (draw < rate) {
        const late =
          this.options.afterApplying === true && LATE_FAULTS.has(kind) && CHANGING_ENDPOINTS.has(endpoint);
        return decision(kind, slowMs, late);
      }
      draw -= rate;
    }
    return undefined;
  }
}

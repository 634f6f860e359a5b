import { isRecord, numberText, parseLosslessJson, safeInteger } from './response-body.js';
import type { SmartsheetErrorInfo } from './types.js';
import { oneLine, retryAfterMs } from './wire.js';

/** Bad configuration or input, found before any request: names the input, the value and what is allowed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly input: string,
    readonly value: string,
    readonly allowed: string,
  ) {
    super(`Invalid ${input} ${JSON.stringify(value)}: ${allowed}`);
  }
}

/** A failed Smartsheet call, as a value with a kind. Its message never contains the token. */
export class SmartsheetApiError extends Error {
  override name = 'SmartsheetApiError';
  constructor(readonly info: SmartsheetErrorInfo) {
    super(info.message);
  }
}

/** The calls the client makes; the same error code can mean different things for each (1004). */
export type SmartsheetOperation =
  | 'getCurrentUser'
  | 'getUser'
  | 'listUsers'
  | 'deactivateUser'
  | 'reactivateUser';

/**
 * A 404 becomes the outcome `not-found`, which carries no reason code; the info still needs one, and
 * the contract's list has no `not-found` reason, so it says the answer was not the user we expected.
 */
const NOT_FOUND_REASON = 'unexpected-response';

type Rule = Pick<SmartsheetErrorInfo, 'kind' | 'reason' | 'retryable' | 'remediation'>;

const RETRY_LATER = 'Transient on Smartsheet’s side: run again later; already-deactivated users are skipped.';
const CHECK_TOKEN =
  'Use a valid, unexpired access token of a System Admin (scope ADMIN_USERS) from the same region as the API host.';
const CALLER_FORBIDDEN: Rule = {
  kind: 'forbidden',
  reason: 'unauthorized',
  retryable: false,
  remediation: 'Use the access token of a System Admin of this organisation (scope ADMIN_USERS).',
};

const NOT_ACTIVE_REMEDY =
  'Smartsheet says the account is not active: a pending invitation (revoke it in Admin Center, Users → pending) ' +
  'or a declined one (remove the user in Admin Center) has no account to deactivate; run a plan to see the status.';

function policyRule(policy: string): Rule {
  return {
    kind: 'refused',
    reason: 'policy-restricted',
    retryable: false,
    remediation: `Make this change by hand in Smartsheet (Admin Center) instead: the ${policy} blocks it through the API.`,
  };
}

/**
 * Every Smartsheet errorCode this client treats specially. Retryable exactly as the official SDKs:
 * 4001 (maintenance), 4002 (server timeout), 4003 (rate limit) and 4004 (retry); 4000 is not.
 */
const RULES: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  [1001, { kind: 'auth', reason: 'unauthorized', retryable: false, remediation: CHECK_TOKEN }],
  [1002, { kind: 'auth', reason: 'unauthorized', retryable: false, remediation: CHECK_TOKEN }],
  [1003, { kind: 'auth', reason: 'unauthorized', retryable: false, remediation: CHECK_TOKEN }],
  [
    1005,
    {
      kind: 'auth',
      reason: 'unauthorized',
      retryable: false,
      remediation: 'This account requires Single Sign-On: create the access token after signing in with SSO.',
    },
  ],
  [
    1335,
    {
      kind: 'refused',
      reason: 'not-member',
      retryable: false,
      remediation:
        'Remove them from the offboarding file: only the account they belong to can offboard them.',
    },
  ],
  [
    1354,
    {
      kind: 'refused',
      reason: 'not-member',
      retryable: false,
      remediation: 'Take them out of the file: only the account they belong to can reactivate them.',
    },
  ],
  [
    1336,
    {
      kind: 'refused',
      reason: 'self',
      retryable: false,
      remediation:
        'The token belongs to this user: another System Admin must do it, or remove them from the file.',
    },
  ],
  [
    1355,
    {
      kind: 'refused',
      reason: 'self',
      retryable: false,
      remediation:
        'The token belongs to this user: another System Admin must do it, or remove them from the file.',
    },
  ],
  [
    1356,
    {
      kind: 'refused',
      reason: 'gov-unsupported',
      retryable: false,
      remediation:
        'Deactivation is not available on Smartsheet Gov: deactivate the user in the Admin Center.',
    },
  ],
  [
    1188,
    {
      kind: 'refused',
      reason: 'not-active',
      retryable: false,
      remediation: NOT_ACTIVE_REMEDY,
    },
  ],
  [
    1048,
    {
      kind: 'refused',
      reason: 'not-active',
      retryable: false,
      remediation:
        'The user declined the invitation, so there is no account to change: remove the user in Admin Center (Users), or take them out of the file.',
    },
  ],
  [1361, policyRule('an SSO policy')],
  [1362, policyRule('an MFA policy')],
  [1363, policyRule('the data egress policy')],
  [
    1359,
    {
      kind: 'refused',
      reason: 'isp-domain',
      retryable: false,
      remediation: 'That is done in Admin Center (user management), not through the API.',
    },
  ],
  [
    5697,
    {
      kind: 'refused',
      reason: 'directory-managed',
      retryable: false,
      remediation: 'Offboard them in the directory (Okta, Entra ID…): Smartsheet follows it.',
    },
  ],
  [
    5717,
    {
      kind: 'refused',
      reason: 'directory-managed',
      retryable: false,
      remediation: 'Restore them in the directory (Okta, Entra ID…): Smartsheet follows it.',
    },
  ],
  [
    1006,
    {
      kind: 'not-found',
      reason: NOT_FOUND_REASON,
      retryable: false,
      remediation: 'Check the ID or email, and that the token is for the right region.',
    },
  ],
  [
    1020,
    {
      kind: 'not-found',
      reason: NOT_FOUND_REASON,
      retryable: false,
      remediation: 'Check the ID or email, and that the token is for the right region.',
    },
  ],
  [
    1007,
    {
      kind: 'bad-request',
      reason: 'unexpected-response',
      retryable: false,
      remediation: 'Smartsheet does not serve this API version: the base URL must end in /2.0.',
    },
  ],
  [
    1229,
    {
      kind: 'bad-request',
      reason: 'unexpected-response',
      retryable: false,
      remediation: 'Use a page size between 1 and 2000.',
    },
  ],
  [
    4003,
    {
      kind: 'rate-limit',
      reason: 'rate-limited',
      retryable: true,
      remediation:
        'Lower requests-per-minute, or make sure no other job uses the same token at the same time.',
    },
  ],
  [
    4000,
    {
      kind: 'server',
      reason: 'server-error',
      retryable: false,
      remediation: 'Run again later; if it persists, give the refId when you write to Smartsheet.',
    },
  ],
  [4001, { kind: 'server', reason: 'server-error', retryable: true, remediation: RETRY_LATER }],
  [4002, { kind: 'server', reason: 'server-error', retryable: true, remediation: RETRY_LATER }],
  [4004, { kind: 'server', reason: 'server-error', retryable: true, remediation: RETRY_LATER }],
  [
    4005,
    {
      kind: 'bad-request',
      reason: 'unexpected-response',
      retryable: false,
      remediation: 'Upgrade smartsheet-offboard to a release that speaks the current API.',
    },
  ],
]);

/**
 * 403/1004 on deactivate or reactivate is Smartsheet's documented answer for an external user (not in
 * the organisation or an EPM child plan, or an email outside the plan's domains). It is also the answer
 * for every call when the token's user is not a System Admin: the planner rules that out first with
 * `GET /users/me`, so here it means the user; on reads it means the caller lacks the right.
 * Reactivation is only asked for users the organisation lists as deactivated, and Smartsheet gives the
 * same 1004 (it documents no other code) once the reactivation window has passed: for them that is the
 * likely cause, so the reason names it and the remediation names both.
 */
function forbiddenRule(operation: SmartsheetOperation | undefined): Rule {
  if (operation === 'reactivateUser') {
    return {
      kind: 'forbidden',
      reason: 'reactivation-window',
      retryable: false,
      remediation:
        'Smartsheet refuses to reactivate a user deactivated longer ago than its reactivation window (30 days), ' +
        'and answers the same for an external user (outside your organisation or its plan domains): ' +
        'check when the user was deactivated in the Admin Center.',
    };
  }
  if (operation === undefined || operation === 'deactivateUser') {
    return {
      kind: 'forbidden',
      reason: 'external-user',
      retryable: false,
      remediation:
        'Smartsheet treats this user as external (outside your organisation or its plan domains); if the token is not a System Admin’s, every user fails this way.',
    };
  }
  return CALLER_FORBIDDEN;
}

/**
 * A refusal this client has no name for (a new code, a 403 for a policy it does not know, Smartsheet's
 * 5xxx account conditions): Smartsheet's code and text are the message, and no remedy is invented.
 */
const UNKNOWN_REFUSAL: Rule = { kind: 'refused', reason: 'refused', retryable: false, remediation: '' };

/** Smartsheet documents 5xxx codes as conditions of the account or user, worded for people to read. */
function isAccountCondition(errorCode: number): boolean {
  return errorCode >= 5000 && errorCode <= 5999;
}

/** For an errorCode this client does not know: decided by the HTTP status (and the 5xxx range). */
function statusRule(status: number, errorCode: number): Rule {
  if (status === 401) return RULES.get(1002)!;
  if (status === 403 || isAccountCondition(errorCode)) return UNKNOWN_REFUSAL;
  if (status === 404) return RULES.get(1006)!;
  // A 429 carrying some other code is not one the SDKs retry; only 4003 or a bare 429 is.
  if (status === 429) return { ...RULES.get(4003)!, retryable: false };
  if (status >= 500) return { ...RULES.get(4000)!, retryable: false };
  return {
    kind: 'bad-request',
    reason: 'unexpected-response',
    retryable: false,
    remediation:
      'Smartsheet rejected the request: report this to the smartsheet-offboard maintainers with the refId.',
  };
}

/** What proxies and load balancers in front of Smartsheet answer while it is unreachable or slow. */
const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * When the body is not a Smartsheet error (empty, HTML from a proxy, truncated): only the status
 * speaks. 401 and 429 mean the same from anyone; a bare 403/404/5xx may come from a proxy or a wrong
 * base URL, so it is not taken as Smartsheet's word about the user. A gateway status is retried: the
 * request may not have reached Smartsheet, and repeating a deactivation is safe (it answers 1188, which
 * the caller confirms against the user's status).
 */
function bareStatusRule(status: number): Rule {
  if (status === 401) return RULES.get(1002)!;
  if (status === 429) return RULES.get(4003)!;
  if (GATEWAY_STATUSES.has(status)) {
    return {
      kind: 'server',
      reason: 'server-error',
      retryable: true,
      remediation:
        'A gateway between you and Smartsheet failed: run again later, and check any proxy if it persists.',
    };
  }
  return {
    kind: 'unexpected-response',
    reason: status >= 500 ? 'server-error' : 'unexpected-response',
    retryable: false,
    remediation:
      status >= 500
        ? 'Something between you and Smartsheet failed: run again later, and check any proxy if it persists.'
        : 'Check the base URL (it ends in /2.0) and any proxy between you and Smartsheet.',
  };
}

interface SmartsheetErrorBody {
  errorCode: number;
  message?: string;
  refId?: string;
}

/** Reads `{errorCode, message, refId}` losslessly; anything else is not a Smartsheet error body. */
function readErrorBody(bodyText: string): SmartsheetErrorBody | undefined {
  let body: unknown;
  try {
    body = parseLosslessJson(bodyText);
  } catch {
    return undefined;
  }
  if (!isRecord(body)) return undefined;
  const errorCode = safeInteger(body['errorCode']);
  if (errorCode === undefined) return undefined;
  const message = typeof body['message'] === 'string' ? body['message'] : undefined;
  const refId = numberText(body['refId']);
  return { errorCode, ...(message !== undefined && { message }), ...(refId !== undefined && { refId }) };
}

function describeBody(bodyText: string, headers: Headers | undefined): string {
  if (bodyText.trim() === '') return 'an empty body';
  const type = headers?.get('content-type')?.split(';')[0]?.trim();
  return `a ${type ? `${type} ` : ''}body that is not a Smartsheet error`;
}

/**
 * Maps an HTTP error response (status and raw body text) to a typed error. `operation` tells apart
 * the meanings of 403/1004 (see `forbiddenRule`); without it a 1004 reads as a refusal about the user.
 */
export function mapHttpError(
  status: number,
  bodyText: string,
  headers?: Headers,
  operation?: SmartsheetOperation,
): SmartsheetErrorInfo {
  const body = readErrorBody(bodyText);
  const retryAfter = retryAfterMs(headers);
  const extra = retryAfter === undefined ? {} : { retryAfterMs: retryAfter };
  if (body === undefined) {
    return {
      ...bareStatusRule(status),
      httpStatus: status,
      message: `Smartsheet answered HTTP ${status} with ${describeBody(bodyText, headers)}.`,
      ...extra,
    };
  }
  const rule =
    body.errorCode === 1004
      ? forbiddenRule(operation)
      : (RULES.get(body.errorCode) ?? statusRule(status, body.errorCode));
  const refId = body.refId === undefined ? '' : `, refId ${body.refId}`;
  const said = body.message === undefined ? 'no message' : oneLine(body.message);
  return {
    ...rule,
    errorCode: body.errorCode,
    httpStatus: status,
    ...(body.refId !== undefined && { refId: body.refId }),
    message: oneLine(`Smartsheet answered HTTP ${status} errorCode ${body.errorCode}${refId}: ${said}`),
    ...extra,
  };
}

export { mapTransportError, REFUSED_CONNECTION_ATTEMPTS } from './transport-errors.js';

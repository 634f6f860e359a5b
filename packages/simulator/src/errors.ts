/**
 * Smartsheet's error answers used by the simulator, with the exact messages of Smartsheet's
 * error-code list, so a client's error mapping is tested against what the real API sends.
 */
export interface ErrorAnswer {
  status: number;
  errorCode: number;
  message: string;
}

function answer(status: number, errorCode: number, message: string): ErrorAnswer {
  return { status, errorCode, message };
}

export const ERRORS = {
  tokenMissing: answer(401, 1001, 'An Access Token is required.'),
  tokenInvalid: answer(401, 1002, 'Your Access Token is invalid.'),
  tokenExpired: answer(401, 1003, 'Your Access Token has expired.'),
  notAuthorized: answer(403, 1004, 'You are not authorized to perform this action.'),
  notFound: answer(404, 1006, 'Not Found.'),
  versionNotSupported: answer(404, 1007, 'Version not supported.'),
  methodNotSupported: answer(405, 1010, 'HTTP Method not supported.'),
  userNotFound: answer(404, 1020, 'User not found.'),
  accountNotActive: answer(403, 1188, 'The account status of the user specified is not active.'),
  deactivateNotMember: answer(
    403,
    1335,
    'Cannot deactivate the user specified. They are not a member of your account.',
  ),
  deactivateSelf: answer(403, 1336, 'You cannot deactivate yourself from the account through the API.'),
  reactivateNotMember: answer(
    403,
    1354,
    'Cannot reactivate the user specified. They are not a member of your account.',
  ),
  reactivateSelf: answer(403, 1355, 'You cannot reactivate yourself from the account through the API.'),
  govUnsupported: answer(
    403,
    1356,
    'The operation you are attempting to perform is not supported in Smartsheet Gov.',
  ),
  ispDomain: answer(
    403,
    1359,
    'User account with a common ISP domain email cannot be deactivated. You can only remove them from the Org.',
  ),
  rateLimited: answer(429, 4003, 'Rate limit exceeded.'),
  unexpected: answer(
    500,
    4000,
    'An unexpected error has occurred. Please contact api@smartsheet.com for assistance.',
  ),
  maintenance: answer(
    503,
    4001,
    'Smartsheet.com is currently offline for system maintenance. Please check back again shortly.',
  ),
  serverTimeout: answer(500, 4002, 'Server timeout exceeded. Request has failed.'),
  retry: answer(
    500,
    4004,
    'An unexpected error has occurred. Please retry your request. If you encounter this error repeatedly, please contact api@smartsheet.com for assistance.',
  ),
  deactivateDirectoryManaged: answer(
    400,
    5697,
    'This person is managed from your directory service. Please deactivate them through your directory service instead.',
  ),
  reactivateDirectoryManaged: answer(
    400,
    5717,
    'This person is managed from your directory service. Please reactivate them through your directory service instead.',
  ),
} as const satisfies Record<string, ErrorAnswer>;

/** 400/1018: a parameter with a value of the wrong type. */
export function invalidParameter(value: string, parameter: string): ErrorAnswer {
  return answer(400, 1018, `The value ${value} was not valid for the parameter ${parameter}.`);
}

/** 400/1229: a numeric parameter out of its range (e.g. `pageSize` over 2000). */
export function outOfRange(value: string, parameter: string, min: number, max: number): ErrorAnswer {
  return answer(
    400,
    1229,
    `The value '${value}' was not valid for the parameter '${parameter}'. The value must be between '${min}' and '${max}'.`,
  );
}

/** The server-side faults a test can inject, by the errorCode Smartsheet sends for them. */
export const FAULT_ERRORS = {
  4000: ERRORS.unexpected,
  4001: ERRORS.maintenance,
  4002: ERRORS.serverTimeout,
  4004: ERRORS.retry,
} as const;

/** Smartsheet names these as "common ISP domains" whose users cannot be deactivated (not a closed list). */
export const ISP_DOMAINS: readonly string[] = [
  'aol.com',
  'charter.net',
  'comcast.net',
  'duck.com',
  'email.com',
  'gmail.com',
  'hotmail.com',
  'icloud.com',
  'live.com',
  'mail.com',
  'mail.ru',
  'outlook.com',
  'rocketmail.com',
  'usa.com',
  'verizon.net',
  'web.de',
  'yahoo.com',
];

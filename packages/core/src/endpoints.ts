import { ConfigError } from './errors.js';
import { parseUserId } from './ids.js';
import { REDACTED } from './redact.js';
import type { ConnectionOptions, HttpRequest, Region, UserId } from './types.js';
import { CORE_VERSION } from './version.js';

export const REGION_BASE_URLS: Readonly<Record<Region, string>> = {
  us: 'https://api.smartsheet.com/2.0',
  eu: 'https://api.smartsheet.eu/2.0',
  au: 'https://api.smartsheet.au/2.0',
  gov: 'https://api.smartsheetgov.com/2.0',
};

/** Largest page the list endpoint accepts (more gives 400/1229). */
export const MAX_PAGE_SIZE = 2000;

/** Sent with every request so Smartsheet's logs name the tool and release that made a change. */
export const USER_AGENT = `smartsheet-offboard/${CORE_VERSION} (+@smartsheet-offboard/core)`;

/** The TYPE part of `smartsheet-integration-source`, as Smartsheet documents it. */
export const INTEGRATION_SOURCE_TYPES = ['AI', 'SCRIPT', 'APPLICATION', 'PERSONAL_ACCOUNT'] as const;

export interface ListUsersQuery {
  emails?: readonly string[];
  page?: number;
  pageSize?: number;
}

const GOV_REFUSED = 'deactivation is not available on Smartsheet Gov; use us, eu or au';
const BASE_URL_ALLOWED =
  'an https URL such as https://api.smartsheet.com/2.0, or http only to a loopback host (127.0.0.1, ::1, localhost)';
// RFC 9110 `token`: what a header name may be made of.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Visible ASCII, space and tab: a line break would let a value smuggle another header.
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;
// RFC 6750 b64token: what a bearer token is made of (Smartsheet's are letters and digits).
const BEARER_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;
/**
 * Smartsheet's access tokens are 26 characters or more. A much shorter value is a placeholder or a
 * mistake, and redacting it would mangle every message that happens to contain those letters.
 */
export const MIN_TOKEN_LENGTH = 16;

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

function isGovHost(hostname: string): boolean {
  // A fully qualified name may end in a dot (`api.smartsheetgov.com.`): the same host.
  const host = hostname.replace(/\.$/, '');
  return host === 'smartsheetgov.com' || host.endsWith('.smartsheetgov.com');
}

function resolveBaseUrl(connection: ConnectionOptions): string {
  const region: unknown = connection.region ?? 'us';
  if (region === 'gov') throw new ConfigError('region', 'gov', GOV_REFUSED);
  if (typeof region !== 'string' || !Object.hasOwn(REGION_BASE_URLS, region)) {
    throw new ConfigError('region', String(region), 'one of us, eu, au');
  }
  if (connection.baseUrl === undefined) return REGION_BASE_URLS[region as Region];

  let url: URL;
  try {
    url = new URL(connection.baseUrl);
  } catch {
    throw new ConfigError('baseUrl', connection.baseUrl, BASE_URL_ALLOWED);
  }
  if (url.username !== '' || url.password !== '') {
    // Never echo what may be a password.
    throw new ConfigError(
      'baseUrl',
      `${url.protocol}//***@${url.host}${url.pathname}`,
      'no credentials in the URL',
    );
  }
  if (isGovHost(url.hostname)) throw new ConfigError('baseUrl', connection.baseUrl, GOV_REFUSED);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  if (!secure || url.search !== '' || url.hash !== '') {
    throw new ConfigError('baseUrl', connection.baseUrl, `${BASE_URL_ALLOWED}, without a query or fragment`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Validates `TYPE,ORG-NAME,INTEGRATOR-NAME` the way Smartsheet documents it. */
function checkIntegrationSource(value: string): string {
  const parts = value.split(',');
  const allowed = `TYPE,ORG-NAME,INTEGRATOR-NAME: exactly three comma-separated parts, TYPE one of ${INTEGRATION_SOURCE_TYPES.join(', ')}, a non-empty INTEGRATOR-NAME`;
  const [type, , integrator] = parts;
  const valid =
    parts.length === 3 &&
    (INTEGRATION_SOURCE_TYPES as readonly string[]).includes(type ?? '') &&
    integrator !== undefined &&
    integrator.trim() !== '' &&
    HEADER_VALUE.test(value);
  if (!valid) throw new ConfigError('integrationSource', value, allowed);
  return value;
}

function checkHeaderValue(input: string, value: string, header?: string): string {
  if (!HEADER_VALUE.test(value)) {
    // Header values may be secrets: name the header, not the value.
    throw new ConfigError(
      input,
      header === undefined ? '(value not shown)' : `${header}: (value not shown)`,
      'header values may only hold printable ASCII, spaces and tabs (no line breaks or control characters)',
    );
  }
  return value;
}

function checkToken(raw: unknown): string {
  const token = typeof raw === 'string' ? raw.trim() : '';
  if (token === '') {
    throw new ConfigError(
      'token',
      '',
      'a Smartsheet access token is required (a System Admin’s, scope ADMIN_USERS)',
    );
  }
  if (!TOKEN_SHAPE.test(token)) {
    throw new ConfigError(
      'token',
      REDACTED,
      'an access token is printable ASCII with no spaces or line breaks (the value is a secret and not shown)',
    );
  }
  if (!BEARER_TOKEN.test(token)) {
    throw new ConfigError(
      'token',
      '***',
      'an access token is made of letters, digits and - . _ ~ + / (this one has other characters, such as quotes; the value is a secret and not shown)',
    );
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(
      'token',
      '***',
      `an access token has at least ${MIN_TOKEN_LENGTH} characters (Smartsheet's have 26 or more); this one is shorter, so it cannot be a Smartsheet token (the value is a secret and not shown)`,
    );
  }
  return token;
}

/** Default headers, then the caller's: a caller header replaces a default of the same name (any case). */
function buildHeaders(connection: ConnectionOptions, token: string): Record<string, string> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${token}`,
    Accept: 'application/json',
    'User-Agent': USER_AGENT,
  };
  if (connection.integrationSource !== undefined) {
    headers['smartsheet-integration-source'] = checkIntegrationSource(connection.integrationSource);
  }
  if (connection.changeAgent !== undefined) {
    headers['Smartsheet-Change-Agent'] = checkHeaderValue('changeAgent', connection.changeAgent);
  }
  for (const [name, value] of Object.entries(connection.headers ?? {})) {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigError(
        'headers',
        name,
        "a header name of letters, digits and !#$%&'*+-.^_`|~ only, no spaces or colons",
      );
    }
    if (name.toLowerCase() === 'authorization') {
      throw new ConfigError(
        'headers',
        name,
        'Authorization is set from the token and cannot be given as a header',
      );
    }
    checkHeaderValue('headers', value, name);
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    headers[name] = value;
  }
  return headers;
}

function checkUserId(id: UserId): string {
  const parsed = parseUserId(id);
  if (!parsed.ok) throw new ConfigError('user ID', String(id), parsed.problem);
  return parsed.value;
}

function checkWholeNumber(input: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(input, String(value), `a whole number from ${min} to ${max}`);
  }
  return value;
}

function listQuery(query: ListUsersQuery): string {
  const params: string[] = [];
  if (query.emails !== undefined) {
    if (query.emails.length === 0) {
      // An empty filter would silently list everyone: say so rather than guess.
      throw new ConfigError('emails', '', 'at least one email, or no emails option to list every user');
    }
    for (const email of query.emails) {
      if (email.trim() === '' || email.includes(',')) {
        throw new ConfigError(
          'email',
          email,
          'a non-empty address without commas (commas separate the filter)',
        );
      }
    }
    params.push(`email=${query.emails.map(encodeURIComponent).join(',')}`);
  }
  if (query.page !== undefined)
    params.push(`page=${checkWholeNumber('page', query.page, 1, Number.MAX_SAFE_INTEGER)}`);
  if (query.pageSize !== undefined) {
    params.push(`pageSize=${checkWholeNumber('pageSize', query.pageSize, 1, MAX_PAGE_SIZE)}`);
  }
  return params.length === 0 ? '' : `?${params.join('&')}`;
}

/** Builds requests for one connection. Throws `ConfigError` (before any request) on Gov, a bad URL or header. */
export function smartsheetRequests(connection: ConnectionOptions): {
  baseUrl: string;
  listUsers(query?: ListUsersQuery): HttpRequest;
  getUser(id: UserId): HttpRequest;
  getCurrentUser(): HttpRequest;
  deactivateUser(id: UserId): HttpRequest;
  reactivateUser(id: UserId): HttpRequest;
} {
  const baseUrl = resolveBaseUrl(connection);
  const headers = buildHeaders(connection, checkToken(connection.token));
  const request = (method: HttpRequest['method'], path: string): HttpRequest => ({
    method,
    url: `${baseUrl}${path}`,
    headers: { ...headers },
  });
  return {
    baseUrl,
    listUsers: (query = {}) => request('GET', `/users${listQuery(query)}`),
    getUser: (id) => request('GET', `/users/${checkUserId(id)}`),
    getCurrentUser: () => request('GET', '/users/me'),
    deactivateUser: (id) => request('POST', `/users/${checkUserId(id)}/deactivate`),
    reactivateUser: (id) => request('POST', `/users/${checkUserId(id)}/reactivate`),
  };
}

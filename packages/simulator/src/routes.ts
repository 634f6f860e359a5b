import { ERRORS, type ErrorAnswer } from './errors.js';
import type { Endpoint } from './faults.js';
import { userProfile } from './render.js';
import type { Org, UserRecord } from './seed-format.js';
import type { UserStore } from './store.js';

export const API_PREFIX = '/2.0';
const MAX_ID = 2n ** 63n - 1n;

export interface Route {
  endpoint: Endpoint;
  userId?: string;
}

/** A user ID in a path, as Smartsheet's (Java `long`) parsing would accept it; undefined when malformed. */
export function pathUserId(segment: string): string | undefined {
  if (!/^\d{1,25}$/.test(segment)) return undefined;
  const id = BigInt(segment);
  return id > MAX_ID ? undefined : id.toString();
}

/** Matches a path to one of the five endpoints, or to the error Smartsheet gives for it. */
export function route(method: string, path: string): Route | { error: ErrorAnswer; allow?: string } {
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

export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function isErrorAnswer(value: ErrorAnswer | Record<string, unknown>): value is ErrorAnswer {
  return typeof value.errorCode === 'number' && typeof value.status === 'number';
}

/** What a routed request answers once its token is checked: a body, or Smartsheet's error. */
export function endpointAnswer(
  matched: Route,
  query: URLSearchParams,
  token: string | undefined,
  org: Org,
  store: UserStore,
): ErrorAnswer | Record<string, unknown> {
  const tokenInfo = token === undefined ? undefined : org.tokens.get(token);
  if (token === undefined) return ERRORS.tokenMissing;
  if (!tokenInfo) return ERRORS.tokenInvalid;
  if (tokenInfo.expired) return ERRORS.tokenExpired;
  const caller: UserRecord = store.get(tokenInfo.userId)!;
  switch (matched.endpoint) {
    case 'listUsers':
      return store.list(caller, query);
    case 'getCurrentUser':
      return userProfile(caller, org, true);
    case 'getUser': {
      const user = store.get(matched.userId!);
      return user ? userProfile(user, org, caller.admin || user === caller) : ERRORS.userNotFound;
    }
    case 'deactivateUser':
      return store.changeStatus('deactivate', caller, matched.userId!);
    case 'reactivateUser':
      return store.changeStatus('reactivate', caller, matched.userId!);
  }
}

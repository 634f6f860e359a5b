import { isLosslessNumber } from 'lossless-json';
import { parseUserId } from './ids.js';
import { isRecord, numberText, safeInteger } from './response-body.js';
import type { SmartsheetUser, UserId } from './types.js';

// What the five endpoints' 2xx bodies must hold, read strictly: a field that decides safety and
// comes with the wrong type stops the run rather than reading as absent.

export interface UsersPage {
  pageNumber: number;
  pageSize: number;
  totalPages: number;
  totalCount: number;
  data: SmartsheetUser[];
  /**
   * Users the page lists without an email: they cannot match an email target, so they are not in
   * `data`; only their IDs are kept (to count the page complete, and to name them in a warning).
   */
  withoutEmail?: UserId[];
}

/** A 2xx whose body is not what the endpoint documents. */
export class UnexpectedBody extends Error {}

/** Fields whose type decides safety: a wrong type must stop the run, not read as "absent". */
const BOOLEAN_FIELDS = ['admin', 'groupAdmin', 'isInternal'] as const;

/** A wire value and its JSON type, for messages: `"true" (a string)`, `1 (a number)`, `null`. */
function shown(value: unknown): string {
  if (value === null) return 'null';
  if (isLosslessNumber(value)) return `${value.toString()} (a number)`;
  const type = Array.isArray(value)
    ? 'a list'
    : typeof value === 'object'
      ? 'an object'
      : `a ${typeof value}`;
  return `${JSON.stringify(value)} (${type})`;
}

/** A user's fields past its ID; a page may hold a user without an email (`requireEmail: false`). */
function readUserFields(
  raw: Record<string, unknown>,
  id: UserId,
  requireEmail: boolean,
): SmartsheetUser | undefined {
  const email = raw['email'];
  if (typeof email !== 'string' || email === '') {
    if (email !== undefined && email !== null && typeof email !== 'string') {
      throw new UnexpectedBody(`user ${id} with the field email ${shown(email)}, not a string`);
    }
    if (requireEmail) throw new UnexpectedBody(`user ${id} without an email`);
    return undefined;
  }
  const user: SmartsheetUser = { id, email };
  if (typeof raw['name'] === 'string') user.name = raw['name'];
  const status = raw['status'];
  if (status !== undefined) {
    if (typeof status !== 'string') {
      throw new UnexpectedBody(`user ${id} with the field status ${shown(status)}, not a string`);
    }
    user.status = status;
  }
  for (const key of BOOLEAN_FIELDS) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') {
      throw new UnexpectedBody(`user ${id} with the field ${key} ${shown(value)}, not true or false`);
    }
    user[key] = value;
  }
  if (typeof raw['licensedSheetCreator'] === 'boolean')
    user.licensedSheetCreator = raw['licensedSheetCreator'];
  return user;
}

function readId(raw: unknown): { raw: Record<string, unknown>; id: UserId } {
  if (!isRecord(raw)) throw new UnexpectedBody('a user that is not an object');
  const id = parseUserId(numberText(raw['id']));
  if (!id.ok) throw new UnexpectedBody('a user without a valid id');
  return { raw, id: id.value };
}

export function readUser(body: unknown): SmartsheetUser {
  const { raw, id } = readId(body);
  return readUserFields(raw, id, true)!;
}

export function readPage(raw: unknown): UsersPage {
  if (!isRecord(raw) || !Array.isArray(raw['data'])) throw new UnexpectedBody('a user list without data');
  const data: SmartsheetUser[] = [];
  const withoutEmail: UserId[] = [];
  for (const entry of raw['data']) {
    const { raw: fields, id } = readId(entry);
    const user = readUserFields(fields, id, false);
    if (user) data.push(user);
    else withoutEmail.push(id);
  }
  const pageNumber = safeInteger(raw['pageNumber']);
  const totalPages = safeInteger(raw['totalPages']);
  const totalCount = safeInteger(raw['totalCount']);
  if (pageNumber === undefined || totalPages === undefined || totalCount === undefined) {
    // Guessing the page count could skip users: refuse instead.
    throw new UnexpectedBody('a user list without pageNumber, totalPages or totalCount');
  }
  // `pageSize` is omitted when the page is unbounded (documented as nullable).
  const pageSize = safeInteger(raw['pageSize']) ?? data.length + withoutEmail.length;
  return {
    pageNumber,
    pageSize,
    totalPages,
    totalCount,
    data,
    ...(withoutEmail.length > 0 && { withoutEmail }),
  };
}

/**
 * Success is `SUCCESS` with `resultCode` 0, nothing else. The schema's PARTIAL_SUCCESS (3) is for bulk
 * operations: for one user it cannot say whether the change happened, so it is an error, as is any
 * other pairing (`PARTIAL_SUCCESS` with 0); a later run checks the status again.
 */
export function readResult(raw: unknown): void {
  const code = isRecord(raw) ? numberText(raw['resultCode']) : undefined;
  const message = isRecord(raw) ? raw['message'] : undefined;
  if (code === '0' && message === 'SUCCESS') return;
  const said = `message ${message === undefined ? 'missing' : JSON.stringify(message)}, resultCode ${code ?? 'missing'}`;
  throw new UnexpectedBody(
    code === '3'
      ? `PARTIAL_SUCCESS (resultCode 3) for a single user, so the change is uncertain (${said})`
      : `a result that is not SUCCESS with resultCode 0 (${said}), so the change is uncertain`,
  );
}

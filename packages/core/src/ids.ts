import { quoteValue } from './quote.js';
import type { UserId } from './types.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The largest Smartsheet user ID: IDs are signed 64-bit integers. */
export const MAX_USER_ID = '9223372036854775807';
const MAX_USER_ID_BIGINT = BigInt(MAX_USER_ID);

const ALLOWED = `a user ID is a positive whole number of 1 to 19 digits, at most ${MAX_USER_ID}, with no sign, spaces or leading zeros`;

/**
 * Reads a user ID from a file, an input or an API response as a canonical decimal string
 * (1–19 digits, no sign, no leading zero, at most 2^63-1). Never goes through `Number`.
 */
export function parseUserId(raw: unknown): ParseResult<UserId> {
  if (typeof raw === 'bigint') return fromDigits(raw.toString(), raw.toString());
  if (typeof raw === 'number') return fromNumber(raw);
  if (typeof raw !== 'string') return refuse(`${describeType(raw)} is not a user ID: ${ALLOWED}`);
  return fromDigits(raw, raw);
}

function fromNumber(value: number): ParseResult<UserId> {
  if (!Number.isFinite(value) || !Number.isInteger(value)) {
    return refuse(`${String(value)} is not a user ID: ${ALLOWED}`);
  }
  if (!Number.isSafeInteger(value)) {
    // The digits were already rounded when the value became a JavaScript number.
    return refuse(
      `${String(value)} is too large to have been read exactly as a number (above 2^53): ` +
        'quote the ID so it is read as text, e.g. "48569348493401200"',
    );
  }
  return fromDigits(String(value), String(value));
}

function fromDigits(text: string, shown: string): ParseResult<UserId> {
  if (/^[1-9][0-9]{0,18}$/.test(text)) {
    if (text.length === 19 && BigInt(text) > MAX_USER_ID_BIGINT) {
      return refuse(`${quoteValue(shown)} is not a user ID: it is above ${MAX_USER_ID}, the largest ID`);
    }
    return { ok: true, value: text };
  }
  return refuse(`${quoteValue(shown)} is not a user ID: ${whatIsWrong(text)}; ${ALLOWED}`);
}

function whatIsWrong(text: string): string {
  if (text.length === 0) return 'it is empty';
  if (text.trim() !== text) return 'it has spaces around it';
  if (/^[+-]/.test(text)) return 'it has a sign';
  if (/^0[xob]/i.test(text)) return 'it is written in another base';
  if (/^0+$/.test(text)) return 'it is zero';
  if (/^[0-9]+$/.test(text))
    return text.length > 19 ? `it has ${text.length} digits` : 'it has leading zeros';
  if (/^[0-9.]+(e[+-]?[0-9]+)?$/i.test(text)) return 'it is written as a decimal or with an exponent';
  if (/^[0-9_,\s]+$/.test(text)) return 'it has separators between the digits';
  if (text.includes('@')) return 'it looks like an email';
  return 'it contains characters other than the digits 0-9';
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'An empty value';
  if (Array.isArray(value)) return 'A list';
  if (typeof value === 'object') return 'A mapping';
  return `${String(value)} (${typeof value})`;
}

function refuse(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}

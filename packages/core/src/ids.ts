import type { UserId } from './types.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Reads a user ID from a file, an input or an API response as a canonical decimal string
 * (1–19 digits, no sign, no leading zero, at most 2^63-1). Never goes through `Number`.
 */
export function parseUserId(raw: unknown): ParseResult<UserId> {
  throw new Error(`not implemented: parseUserId(${String(raw)})`);
}

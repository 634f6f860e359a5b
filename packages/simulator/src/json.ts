import { randomBytes } from 'node:crypto';

/**
 * A number that must reach the JSON text digit for digit. Smartsheet sends IDs as bare JSON
 * numbers, some above 2^53; `JSON.stringify` of a JavaScript number would round them.
 */
export class ExactNumber {
  constructor(readonly digits: string) {}

  toJSON(): string {
    return MARKER + this.digits;
  }
}

// A per-process random marker: no string coming from a seed can imitate it.
const MARKER = `\u0000exact-${randomBytes(6).toString('hex')}:`;
const MARKED = new RegExp(`"\\\\u0000exact-${MARKER.slice(7, -1)}:(-?\\d+)"`, 'g');

/** `JSON.stringify`, except that `ExactNumber`s are written as bare numbers with all their digits. */
export function stringifyExact(value: unknown): string {
  const text = JSON.stringify(value);
  return text.includes('u0000exact-') ? text.replace(MARKED, '$1') : text;
}

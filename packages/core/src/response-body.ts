import { isLosslessNumber, LosslessNumber, parse } from 'lossless-json';

/**
 * Parses a response body without rounding any number: every number arrives as a `LosslessNumber`
 * holding its exact source text, so IDs above 2^53 (48569348493401200) survive. Throws `SyntaxError`.
 * The result is lossless-json's, key for key, including its refusal of a key given twice with different
 * values; `JSON.parse` does most of the work, which reads a page of 2,000 users several times faster.
 */
export function parseLosslessJson(text: string): unknown {
  const marked = markNumbers(text);
  if (marked !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(marked.text);
    } catch {
      return parse(text); // invalid JSON: lossless-json's error, which names the position
    }
    const seen = { keys: 0 };
    const restored = restoreNumbers(value, seen);
    // JSON.parse keeps only the last of repeated keys, which lossless-json refuses when the values differ.
    if (seen.keys === marked.keys) return restored;
  }
  return parse(text);
}

/** Starts a marked number: a raw U+0000 cannot be in valid JSON, and text holding `\u0000` is not marked. */
const MARK = '\u0000';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const SPACE_THEN_COLON = /[ \t\n\r]*:/y;

/**
 * Rewrites every number outside strings as a string holding `MARK` and its text, so `JSON.parse` keeps
 * the digits, and counts the keys (a colon outside strings is one key). `undefined` when the text could
 * already hold a `MARK` or is not JSON that marking can leave valid: lossless-json then parses it.
 */
function markNumbers(text: string): { text: string; keys: number } | undefined {
  if (text.includes('\\u0000')) return undefined;
  const parts: string[] = [];
  let copiedTo = 0;
  let keys = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(text, i);
      if (i === -1) return undefined;
    } else if (code === COLON) {
      keys++;
    } else if (code === MINUS || (code >= ZERO && code <= NINE)) {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text)?.[0];
      if (number === undefined) return undefined;
      // A number as a key is invalid JSON that JSON.parse would accept once quoted.
      SPACE_THEN_COLON.lastIndex = i + number.length;
      if (SPACE_THEN_COLON.test(text)) return undefined;
      parts.push(text.slice(copiedTo, i), `"\\u0000${number}"`);
      i += number.length - 1;
      copiedTo = i + 1;
    }
  }
  parts.push(text.slice(copiedTo));
  return { text: parts.join(''), keys };
}

/** The index of the quote that closes the string opening at `open`, or -1. */
export function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

/** Turns marked strings back into numbers, in place, and counts the keys of every object. */
function restoreNumbers(value: unknown, seen: { keys: number }): unknown {
  if (typeof value === 'string') return value.startsWith(MARK) ? new LosslessNumber(value.slice(1)) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restoreNumbers(value[i], seen);
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  seen.keys += keys.length;
  for (const key of keys) {
    const item = record[key];
    const restored = restoreNumbers(item, seen);
    // Every key is an own data property (JSON.parse defines them), so this never calls a setter.
    if (restored !== item) record[key] = restored;
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The exact decimal text of a JSON number (or a string), for IDs and codes; never via `Number`. */
export function numberText(value: unknown): string | undefined {
  if (isLosslessNumber(value)) return value.toString();
  if (typeof value === 'string') return value;
  return undefined;
}

/** A count or page number: small integers only, so converting to `number` loses nothing. */
export function safeInteger(value: unknown): number | undefined {
  const text = isLosslessNumber(value) ? value.toString() : undefined;
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : undefined;
}

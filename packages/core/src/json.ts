import { isLosslessNumber, parse } from 'lossless-json';

/**
 * Parses a response body without rounding any number: every number arrives as a `LosslessNumber`
 * holding its exact source text, so IDs above 2^53 (48569348493401200) survive. Throws `SyntaxError`.
 */
export function parseLosslessJson(text: string): unknown {
  return parse(text);
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

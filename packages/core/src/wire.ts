/** Helpers for reading what came over the wire into safe, one-line values. */

const MAX_MESSAGE_LENGTH = 300;

/** Collapses whitespace so a message stays on one line, and bounds its length. */
export function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_MESSAGE_LENGTH ? `${line.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : line;
}

/**
 * `Retry-After` in seconds or as an HTTP date. A date is measured against the response's own `Date`
 * header when present (the server's clock, immune to local skew), else the local clock.
 */
export function retryAfterMs(
  headers: Headers | undefined,
  localNow: () => number = Date.now,
): number | undefined {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  const serverNow = Date.parse(headers?.get('date') ?? '');
  return Math.max(0, at - (Number.isNaN(serverNow) ? localNow() : serverNow));
}

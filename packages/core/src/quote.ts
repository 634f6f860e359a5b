const MAX_QUOTED_LENGTH = 80;

/**
 * Quotes a value for a message: JSON-escaped so control characters and invisible spaces show, and
 * cut short so a hostile multi-megabyte value cannot flood a pull-request comment.
 */
export function quoteValue(value: string): string {
  const shown = value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value;
  return JSON.stringify(shown);
}

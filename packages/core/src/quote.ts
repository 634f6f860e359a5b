const MAX_QUOTED_LENGTH = 80;

/**
 * Quotes a value for a message: escaped so control, invisible and text-direction characters show as
 * `\uXXXX` instead of acting on the text around them, and cut short so a hostile multi-megabyte value
 * cannot flood a pull-request comment.
 */
export function quoteValue(value: string): string {
  const shown = value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value;
  return JSON.stringify(shown).replace(
    /[\p{Cf}\u2028\u2029]/gu,
    (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

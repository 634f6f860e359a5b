/** Bad usage found after commander's parsing (no token, no targets, no terminal to confirm on, an unreadable file). */
export class UsageError extends Error {
  override name = 'UsageError';
}

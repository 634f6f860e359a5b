/** Bad usage found after commander's parsing (no token, no targets, no terminal to confirm on, an unreadable file). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** plan, apply, reactivate and validate alike: nothing named anyone. */
export function noTargets(): UsageError {
  return new UsageError(
    'no targets. Allowed: --file FILE..., --user-id ID or --email EMAIL, each repeatable.',
  );
}

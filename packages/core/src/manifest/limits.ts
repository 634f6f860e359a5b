/**
 * Bounds on one offboarding file. `maxDepth` bounds JSON nesting before parsing (a deep file would
 * overflow the parser's stack); `maxFindings` keeps a garbage file from flooding a pull request.
 */
export const MANIFEST_LIMITS = {
  maxEntries: 10_000,
  maxBytes: 5 * 1024 * 1024,
  maxDepth: 32,
  maxFindings: 200,
} as const;

export interface NormalizedEmail {
  email: string;
  /** ASCII (punycode) domain without trailing dot. */
  domain: string;
}

/** The ISP domains Smartsheet names as undeactivatable (403/1359). Not a closed list: callers extend it. */
export const SMARTSHEET_ISP_DOMAINS: readonly string[] = [];

/** Trim, lower-case, IDN to ASCII, drop a trailing dot; reject what Smartsheet could never hold. */
export function normalizeEmail(raw: unknown): import('./ids.js').ParseResult<NormalizedEmail> {
  throw new Error(`not implemented: normalizeEmail(${String(raw)})`);
}

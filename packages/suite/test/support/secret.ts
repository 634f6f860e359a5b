/** The one Smartsheet token every run of the suite uses: no output of any run may show it, whole or in part. */
export const TOKEN = 'suite-secret-7Qm2Xv9LpR4wKz8N';

/** The whole token, or a long enough piece of it to identify it (a redaction that keeps a prefix is a leak too). */
export function leaksToken(text: string): boolean {
  return text.includes(TOKEN) || text.includes(TOKEN.slice(-12)) || text.includes(TOKEN.slice(0, 16));
}

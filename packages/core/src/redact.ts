/** How a secret shows wherever it was: one spelling everywhere, the one GitHub's log masking uses. */
export const REDACTED = '***';

/** The shortest start of a secret, at the cut end of a text, that is still taken for the secret. */
const MIN_FRAGMENT = 4;

/**
 * `text` with every whole occurrence of each secret replaced by `***`: not inside a longer run of token
 * characters, which is another value (words that merely contain a short secret stay readable). A text
 * cut short (ending in `…`, as long messages are) may end in the start of a secret: that fragment is
 * replaced too.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (!secret) continue;
    const occurrence = new RegExp(
      `(?<![A-Za-z0-9._~+/-])${secret.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}(?![A-Za-z0-9._~+/=-])`,
      'g',
    );
    redacted = redacted.replace(occurrence, REDACTED);
    if (!redacted.endsWith('…')) continue;
    for (let length = Math.min(secret.length - 1, redacted.length - 1); length >= MIN_FRAGMENT; length--) {
      const fragment = `${secret.slice(0, length)}…`;
      if (redacted.endsWith(fragment)) {
        redacted = `${redacted.slice(0, -fragment.length)}${REDACTED}…`;
        break;
      }
    }
  }
  return redacted;
}

import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../src/redact.js';

const TOKEN = 'tok-1234567890abcdef';
const GITHUB = 'ghs_0123456789';

describe('redactSecrets', () => {
  it('replaces every occurrence of every secret with one spelling', () => {
    expect(redactSecrets(`a ${TOKEN} b ${GITHUB} c ${TOKEN}`, [TOKEN, GITHUB])).toBe(
      `a ${REDACTED} b ${REDACTED} c ${REDACTED}`,
    );
    expect(REDACTED).toBe('***');
  });

  it("replaces a secret's start at the end of a text cut short with …", () => {
    expect(redactSecrets(`Bearer ${TOKEN.slice(0, 9)}…`, [TOKEN])).toBe(`Bearer ${REDACTED}…`);
    // Too short to tell from ordinary text, and a text not cut short, stay as they are.
    expect(redactSecrets(`ends in ${TOKEN.slice(0, 3)}…`, [TOKEN])).toBe(`ends in ${TOKEN.slice(0, 3)}…`);
    expect(redactSecrets(`ends in ${TOKEN.slice(0, 9)}`, [TOKEN])).toBe(`ends in ${TOKEN.slice(0, 9)}`);
  });

  it('replaces whole occurrences only: a longer run of token characters is another value', () => {
    expect(redactSecrets('admins answer for user-admin', ['admin'])).toBe('admins answer for user-admin');
    expect(redactSecrets('token=admin; (admin)', ['admin'])).toBe(`token=${REDACTED}; (${REDACTED})`);
  });

  it('ignores absent and empty secrets', () => {
    expect(redactSecrets('nothing secret here', [undefined, ''])).toBe('nothing secret here');
  });
});

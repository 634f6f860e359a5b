import { describe, expect, it } from 'vitest';
import { parseOffboardingFile } from '../../src/manifest/index.js';
import { BIG_ID, messageAt, where } from './support.js';

// Kept here rather than as a fixture file: a JSON file with a repeated key fails the repository's lint.
const HOSTILE_JSON = `{
  "users": [
    { "id": 1e5 },
    { "id": -5 },
    { "id": 1234567890123456789012345 },
    { "id": "0x10" },
    { "id": 48569348493401200, "id": 48569348493401200 },
    { "email": "jane@gmаil.com", "name": "x" },
    { "id": true },
    { "reason": "nobody named" },
    [1],
    "hello",
    { "email": "a@example.com" },
    "A@Example.com"
  ],
  "extra": 1
}
`;

describe('parseOffboardingFile: hostile and invalid JSON', () => {
  it('reports every problem at once, each at its line', () => {
    const { targets, findings } = parseOffboardingFile('offboarding/hostile.json', HOSTILE_JSON);
    expect(where(findings)).toEqual([
      [3, 'malformed-id'],
      [4, 'malformed-id'],
      [5, 'malformed-id'],
      [6, 'malformed-id'],
      [7, 'duplicate-key'],
      [8, 'unknown-key'],
      [8, 'malformed-email'],
      [9, 'invalid-value'],
      [10, 'missing-id-or-email'],
      [11, 'invalid-shape'],
      [12, 'malformed-entry'],
      [14, 'duplicate'],
      [16, 'unknown-key'],
    ]);
    expect(targets.map((target) => target.email)).toEqual([undefined, 'a@example.com']);
    expect(targets[0]!.id).toBe(BIG_ID);
  });

  it.each([
    [3, /"1e5" is not a user ID/],
    [4, /"-5" is not a user ID: it has a sign/],
    [5, /25 digits/],
    [6, /another base/],
    [7, /The key "id" appears twice/],
    [8, /Unknown key "name"/],
    [9, /The id of this entry must be a string or a number/],
    [14, /"A@Example.com" names a user already listed \("a@example.com" at line 13\)/],
    [16, /Unknown key "extra" at the top of the file/],
  ])('line %i says what is wrong', (line, message) => {
    expect(messageAt(parseOffboardingFile('offboarding/hostile.json', HOSTILE_JSON).findings, line)).toMatch(
      message,
    );
  });

  it('keeps every digit of an ID above 2^53 written as a bare number', () => {
    const { targets } = parseOffboardingFile(
      'a.json',
      `{"users":[{"id": ${BIG_ID}}, ${BIG_ID.replace(/0$/, '1')}]}`,
    );
    expect(targets.map((target) => target.id)).toEqual([BIG_ID, '48569348493401201']);
  });

  it('refuses a syntax error at its line', () => {
    const { findings } = parseOffboardingFile('a.json', '{\n  "users": [\n    "a@example.com",\n  ]\n}\n');
    expect(findings).toMatchObject([
      { line: 4, code: 'syntax', message: expect.stringMatching(/is not valid JSON/) },
    ]);
  });

  it('refuses deep nesting before the parser recurses', () => {
    const { findings } = parseOffboardingFile(
      'deep.json',
      `{"users": ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`,
    );
    expect(findings).toMatchObject([{ line: 1, code: 'too-deep' }]);
    const nested = parseOffboardingFile('deep.json', `{"users": [${'['.repeat(20)}${']'.repeat(20)}]}`);
    expect(nested.findings).toMatchObject([{ code: 'invalid-shape' }]);
  });

  it.each([
    ['[]', 'invalid-shape'],
    ['{}', 'invalid-shape'],
    ['{"users": {}}', 'invalid-shape'],
    ['{"users": []}', 'no-entries'],
    ['"a@example.com"', 'invalid-shape'],
    ['{"users": ["a@example.com"], "users": []}', 'duplicate-key'],
    ['{"users": [{"__proto__": {"id": "4583173393803140"}}]}', 'unknown-key'],
  ])('refuses the wrong shape %s', (text, code) => {
    const { findings, targets } = parseOffboardingFile('shape.json', text);
    expect(targets).toEqual([]);
    expect(findings.map((finding) => finding.code)).toContain(code);
  });

  it("points at the bad value's line, not the entry's", () => {
    const text = JSON.stringify({ users: [{ email: 'jane.doe@example.com', id: '12x' }] }, null, 2);
    const { findings } = parseOffboardingFile('a.json', text);
    expect(text.split('\n')[4]).toContain('"id": "12x"');
    expect(findings.map((finding) => [finding.line, finding.code])).toEqual([[5, 'malformed-id']]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseOffboardingFile } from '../../src/manifest/index.js';
import { BIG_ID, cpuMs, messageAt, parseFixture, where } from './support.js';

describe('parseOffboardingFile: hostile and invalid YAML', () => {
  it('refuses every alias of a "billion laughs" file without expanding it', () => {
    const cpu = cpuMs();
    const { targets, findings } = parseFixture('alias-bomb.yaml');
    expect(cpu.since()).toBeLessThan(1000);
    expect(targets).toEqual([]);
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings.map((finding) => finding.code))).toEqual(new Set(['alias']));
    expect(findings[0]).toMatchObject({
      line: 3,
      message: expect.stringMatching(/aliases \(\*a\) are not allowed/),
    });
  });

  it('reports every problem of the file at once, each at its line', () => {
    const { targets, findings } = parseFixture('hostile.yaml');
    expect(where(findings)).toEqual([
      [2, 'malformed-id'],
      [3, 'malformed-id'],
      [4, 'malformed-id'],
      [5, 'malformed-id'],
      [6, 'malformed-id'],
      [7, 'malformed-id'],
      [8, 'malformed-id'],
      [9, 'malformed-id'],
      [10, 'malformed-id'],
      [11, 'malformed-id'],
      [12, 'malformed-email'],
      [13, 'malformed-email'],
      [14, 'unknown-key'],
      [15, 'missing-id-or-email'],
      [16, 'malformed-id'],
      [17, 'malformed-entry'],
      [19, 'duplicate'],
      [22, 'conflict'],
      [24, 'invalid-value'],
      [25, 'invalid-value'],
    ]);
    expect(targets.map((target) => [target.id, (target.source as { line: number }).line])).toEqual([
      [BIG_ID, 18],
      ['4583173393803140', 20],
    ]);
  });

  it.each([
    [2, /"\+4583173393803140" is not a user ID: it has a sign/],
    [3, /"-4583173393803140" is not a user ID: it has a sign/],
    [4, /" 4583173393803140" is not a user ID: it has spaces/],
    [5, /"1e5" is not a user ID: it is written as a decimal or with an exponent/],
    [6, /"0x10" is not a user ID: it is written in another base/],
    [7, /"1234567890123456789012345" is not a user ID: it has 25 digits/],
    [8, /"9223372036854775808" is not a user ID: it is above 9223372036854775807/],
    [9, /leading zeros/],
    [11, /separators/],
    [
      12,
      /"jane@gmаil.com" has a domain part "gmаil" that mixes Latin and Cyrillic letters .*looks like gmail\.com/,
    ],
    [13, /"not-an-email" is not an email: it has no @/],
    [14, /Unknown key "name" in this entry: allowed keys are id, email, reason, ticket/],
    [15, /neither an id nor an email/],
    [17, /"hello" is neither a user ID \(digits only\) nor an email/],
    [19, /"48569348493401200" names a user already listed \("48569348493401200" at line 18\)/],
    [
      22,
      /User ID 4583173393803140 is given here with the email b@example\.com but with a@example\.com at line 20/,
    ],
    [24, /The id of this entry must be a single value/],
    [25, /The email of this entry is empty/],
  ])('line %i says what is wrong, naming the value', (line, message) => {
    expect(messageAt(parseFixture('hostile.yaml').findings, line)).toMatch(message);
  });

  it.each([
    ['users:\n  - a@example.com\n---\nusers: []\n', 3, 'syntax'],
    ['users: [a@example.com\n', 2, 'syntax'],
    ['users:\n  - a@example.com\n  - a@example.com: x: y\n', 3, 'syntax'],
    ['users:\n  - id: 4583173393803140\n    id: 1\n', 3, 'duplicate-key'],
    ['users:\n  - !custom 4583173393803140\n', 2, 'syntax'],
  ])('refuses invalid YAML %j at the right line', (text, line, code) => {
    const { targets, findings } = parseOffboardingFile('bad.yaml', text);
    expect(targets).toEqual([]);
    expect(findings[0]).toMatchObject({ file: 'bad.yaml', line, code });
  });

  it.each([
    ['- a@example.com\n', 'invalid-shape', /must be a mapping with a "users:" list/],
    [
      'people:\n  - a@example.com\n',
      'unknown-key',
      /Unknown key "people" .*keys allowed are users, deactivate-on/,
    ],
    ['users: a@example.com\n', 'invalid-shape', /must be a list/],
    ['users:\n', 'no-entries', /lists no users/],
    ['users: []\n', 'no-entries', /lists no users/],
    ['# nothing yet\n', 'no-entries', /is empty|lists no users/],
    ['', 'no-entries', /is empty/],
  ])('refuses the wrong shape %j', (text, code, message) => {
    const { findings } = parseOffboardingFile('shape.yaml', text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('reads the source text of plain scalars, so YAML never turns an ID into another number', () => {
    const { targets } = parseOffboardingFile(
      'a.yaml',
      `users:\n  - ${BIG_ID}\n  - id: '${BIG_ID.replace(/0$/, '1')}'\n`,
    );
    expect(targets.map((target) => target.id)).toEqual([BIG_ID, '48569348493401201']);
  });

  it('refuses deeply nested YAML without crashing', () => {
    const flow = parseOffboardingFile('deep.yaml', `users: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    expect(flow.findings.map((finding) => finding.code)).toContain('too-deep');
    const block = parseOffboardingFile('deep.yaml', `users:\n  ${'- '.repeat(50_000)}x\n`);
    expect(block.findings.length).toBeGreaterThan(0);
    expect(block.targets).toEqual([]);
    const shallow = parseOffboardingFile('deep.yaml', `users:\n  - ${'['.repeat(10)}1${']'.repeat(10)}\n`);
    expect(shallow.findings).toMatchObject([{ line: 2, code: 'invalid-shape' }]);
  });

  it("says what to do with a file of several YAML documents, not the parser's advice", () => {
    const { targets, findings } = parseOffboardingFile(
      'two.yaml',
      'users:\n  - a@example.com\n---\nusers:\n  - b@example.com\n',
    );
    expect(targets).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 3, code: 'syntax' });
    expect(findings[0]!.message).toMatch(
      /more than one YAML document .*join the lists or put each in its own file/,
    );
    expect(findings[0]!.message).not.toMatch(/parseAllDocuments/);
  });

  it("points at the bad value's line, not the entry's", () => {
    const { findings } = parseOffboardingFile(
      'a.yaml',
      'users:\n  - email: jane.doe@example.com\n    reason: left\n    id: 12x\n',
    );
    expect(findings.map((finding) => [finding.line, finding.code])).toEqual([[4, 'malformed-id']]);
  });
});

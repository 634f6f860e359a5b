import { describe, expect, it } from 'vitest';
import { parseOffboardingFile } from '../../src/manifest/index.js';

describe('parseOffboardingFile: reasons and tickets', () => {
  it('refuses text-direction and control characters, which would make a reason read differently', () => {
    const { targets, findings } = parseOffboardingFile(
      'a.yaml',
      'users:\n  - id: 4583173393803140\n    reason: "left \\u202Emoc.liamg"\n  - id: 1\n    ticket: "HR\\u0007-1"\n',
    );
    expect(targets).toEqual([]);
    expect(findings).toEqual([
      {
        // The line of the bad value, not of the entry it belongs to.
        source: 'file',
        file: 'a.yaml',
        line: 3,
        code: 'invalid-note',
        message:
          'The reason "left \\u202emoc.liamg" contains an invisible control or text-direction character (U+202E): remove it',
      },
      {
        source: 'file',
        file: 'a.yaml',
        line: 5,
        code: 'invalid-note',
        message:
          'The ticket "HR\\u0007-1" contains an invisible control or text-direction character (U+0007): remove it',
      },
    ]);
  });

  it('refuses a reason longer than 500 characters and keeps tabs and line breaks', () => {
    const long = parseOffboardingFile('a.json', `{"users": [{"id": 1, "reason": "${'x'.repeat(501)}"}]}`);
    expect(long.findings).toMatchObject([
      { code: 'invalid-note', message: expect.stringMatching(/501 characters long/) },
    ]);
    const multiline = parseOffboardingFile('a.json', '{"users": [{"id": 1, "reason": "a\\tb\\nc"}]}');
    expect(multiline.findings).toEqual([]);
    expect(multiline.targets[0]!.note).toEqual({ reason: 'a\tb\nc' });
  });
});

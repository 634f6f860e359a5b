import { describe, expect, it } from 'vitest';
import { MANIFEST_LIMITS, parseOffboardingFile } from '../../src/manifest/index.js';
import { BIG_ID, cpuMs, fixture, parseFixture } from './support.js';

describe('parseOffboardingFile: valid files of every format', () => {
  const expectedIds = ['4583173393803140', BIG_ID, '9223372036854775807', '1234567890123456789'];
  const expectedEmails = ['jane.doe@example.com', 'max@example.com', 'sam.lee@example.com'];

  it.each([
    ['valid.yaml', [3, 6, 7, 8, 10, 11]],
    ['valid.json', [3, 4, 5, 8, 9, 10]],
    ['valid.csv', [2, 3, 4, 5, 6, 7]],
    ['valid.txt', [2, 3, 5, 6, 7, 8, 9]],
  ])('%s: every ID keeps its exact digits, even above 2^53, and every entry its line', (name, lines) => {
    const { targets, findings } = parseFixture(name);
    expect(findings).toEqual([]);
    expect(targets.map((target) => target.source)).toEqual(
      lines.map((line) => ({ file: `offboarding/${name}`, line })),
    );
    expect(targets.flatMap((target) => (target.id ? [target.id] : []))).toEqual(expectedIds);
    expect(targets.flatMap((target) => (target.email ? [target.email] : []))).toEqual(expectedEmails);
    expect(targets.find((target) => target.id === BIG_ID)?.given).toBe(BIG_ID);
  });

  it.each(['valid.yaml', 'valid.json', 'valid.csv'])(
    '%s: keeps the entry as written and the note',
    (name) => {
      const { targets } = parseFixture(name);
      expect(targets[0]).toMatchObject({
        email: 'jane.doe@example.com',
        given: 'Jane.Doe@Example.com',
        note: { reason: 'Left the company', ticket: 'HR-1234' },
      });
      expect(targets[0]!.id).toBeUndefined();
      expect(targets.find((target) => target.email === 'max@example.com')).toMatchObject({
        id: '9223372036854775807',
        given: '9223372036854775807',
      });
    },
  );

  it('reads a file given as a string the same as bytes', () => {
    expect(parseOffboardingFile('a.yaml', fixture('valid.yaml').toString('utf8'))).toEqual(
      parseOffboardingFile('a.yaml', fixture('valid.yaml')),
    );
  });

  it.each(['valid.yaml', 'valid.json', 'valid.csv', 'valid.txt'])(
    '%s: tolerates a byte order mark and CRLF or LF line ends',
    (name) => {
      const text = fixture(name).toString('utf8').replace(/\r\n/g, '\n');
      const lf = parseOffboardingFile(name, text);
      expect(parseOffboardingFile(name, `\uFEFF${text.replace(/\n/g, '\r\n')}`)).toEqual(lf);
      expect(parseOffboardingFile(name, `\uFEFF${text}`)).toEqual(lf);
      expect(lf.findings).toEqual([]);
    },
  );

  it('reads the extension case-insensitively', () => {
    expect(parseOffboardingFile('LIST.YML', 'users: [4583173393803140]').targets).toHaveLength(1);
  });
});
describe('parseOffboardingFile: limits and unreadable files', () => {
  function listOf(count: number, format: 'yaml' | 'json' | 'csv' | 'txt'): string {
    const ids = Array.from({ length: count }, (_, index) => String(1_000_000_000n + BigInt(index)));
    if (format === 'yaml') return `users:\n${ids.map((id) => `  - ${id}\n`).join('')}`;
    if (format === 'json') return `{"users": [\n${ids.join(',\n')}\n]}`;
    if (format === 'csv') return `id\n${ids.join('\n')}\n`;
    return `${ids.join('\n')}\n`;
  }

  it.each([
    ['yaml', 10_002],
    ['json', 10_002],
    ['csv', 10_002],
    ['txt', 10_001],
  ] as const)('refuses more than 10,000 entries in %s, at the first entry over the limit', (format, line) => {
    const over = parseOffboardingFile(`big.${format}`, listOf(MANIFEST_LIMITS.maxEntries + 1, format));
    expect(over.findings).toMatchObject([
      {
        line,
        code: 'too-many-entries',
        message: expect.stringMatching(/lists 10001 users, over the limit of 10000/),
      },
    ]);
    const atLimit = parseOffboardingFile(`big.${format}`, listOf(MANIFEST_LIMITS.maxEntries, format));
    expect(atLimit.findings).toEqual([]);
    expect(atLimit.targets).toHaveLength(MANIFEST_LIMITS.maxEntries);
  });

  it('refuses more than 5 MiB before parsing anything, counting bytes not characters', () => {
    const huge = `users:\n  - ${'x'.repeat(MANIFEST_LIMITS.maxBytes)}\n`;
    const cpu = cpuMs();
    const { targets, findings } = parseOffboardingFile('huge.yaml', huge);
    expect(cpu.since()).toBeLessThan(500);
    expect(targets).toEqual([]);
    expect(findings).toEqual([
      {
        source: 'file',
        file: 'huge.yaml',
        line: 1,
        code: 'file-too-large',
        message: expect.stringMatching(/huge.yaml is larger than the limit of 5242880 bytes \(5 MiB\)/),
      },
    ]);
    // 'é' is two bytes in UTF-8: under the limit in characters, over it in bytes.
    const multibyte = `# ${'é'.repeat(MANIFEST_LIMITS.maxBytes / 2)}\n`;
    expect(parseOffboardingFile('a.txt', multibyte).findings[0]!.code).toBe('file-too-large');
    expect(
      parseOffboardingFile('a.txt', new Uint8Array(MANIFEST_LIMITS.maxBytes + 1)).findings[0]!.code,
    ).toBe('file-too-large');
    expect(
      parseOffboardingFile('a.txt', `# ${'x'.repeat(MANIFEST_LIMITS.maxBytes - 3)}\n`).findings[0]!.code,
    ).toBe('no-entries');
  });

  it('refuses bytes that are not UTF-8', () => {
    const { findings } = parseOffboardingFile('a.txt', new Uint8Array([0x31, 0x0a, 0xff, 0xfe, 0x0a]));
    expect(findings).toEqual([
      {
        source: 'file',
        file: 'a.txt',
        line: 1,
        code: 'not-utf8',
        message: 'a.txt is not UTF-8 text: save it as UTF-8',
      },
    ]);
  });

  it.each(['offboarding/list.xlsx', 'offboarding/README', 'offboarding/a.yaml.bak'])(
    'refuses the unsupported file %s, naming the formats allowed',
    (file) => {
      const { targets, findings } = parseOffboardingFile(file, '4583173393803140\n');
      expect(targets).toEqual([]);
      expect(findings).toEqual([
        {
          source: 'file',
          file,
          line: 1,
          code: 'unsupported-format',
          message: expect.stringContaining('use .yml, .yaml, .json, .csv, .txt'),
        },
      ]);
    },
  );

  it('lists at most 200 problems of a garbage file, then says how many more there are', () => {
    const { findings } = parseOffboardingFile('junk.txt', 'junk\n'.repeat(1000));
    expect(findings).toHaveLength(MANIFEST_LIMITS.maxFindings + 1);
    expect(findings.at(-1)).toMatchObject({
      line: 201,
      code: 'too-many-findings',
      message: expect.stringMatching(/^800 more/),
    });
  });
});

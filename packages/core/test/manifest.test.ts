import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crossCheckTargets,
  MANIFEST_LIMITS,
  parseOffboardingFile,
  targetsFromInputs,
} from '../src/manifest.js';
import type { Finding, Target } from '../src/types.js';

const BIG_ID = '48569348493401200';

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

function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/manifests/${name}`, import.meta.url));
}

function parseFixture(name: string) {
  return parseOffboardingFile(`offboarding/${name}`, fixture(name));
}

/** CPU time of this test process since the call, in ms: unlike wall time, other work on a loaded machine does not count. */
function cpuMs(): { since(): number } {
  const before = process.cpuUsage();
  return {
    since() {
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    },
  };
}

/** [line, code] pairs, the shape most assertions care about. */
function where(findings: readonly Finding[]): [number, string][] {
  return findings.map((finding) => [finding.line, finding.code]);
}

function messageAt(findings: readonly Finding[], line: number): string {
  return findings
    .filter((finding) => finding.line === line)
    .map((finding) => finding.message)
    .join(' / ');
}

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
    ['people:\n  - a@example.com\n', 'unknown-key', /Unknown key "people" .*only key allowed is users/],
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
});

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
});

describe('parseOffboardingFile: reasons and tickets', () => {
  it('refuses text-direction and control characters, which would make a reason read differently', () => {
    const { targets, findings } = parseOffboardingFile(
      'a.yaml',
      'users:\n  - id: 4583173393803140\n    reason: "left \\u202Emoc.liamg"\n  - id: 1\n    ticket: "HR\\u0007-1"\n',
    );
    expect(targets).toEqual([]);
    expect(findings).toEqual([
      {
        file: 'a.yaml',
        line: 2,
        code: 'invalid-note',
        message:
          'The reason "left \\u202emoc.liamg" contains an invisible control or text-direction character (U+202E): remove it',
      },
      {
        file: 'a.yaml',
        line: 4,
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

describe('parseOffboardingFile: CSV', () => {
  it('never reads a formula cell as an ID or email, and neutralises formulas in reason and ticket', () => {
    const { targets, findings } = parseFixture('formulas.csv');
    expect(where(findings)).toEqual([
      [2, 'formula-cell'],
      [3, 'formula-cell'],
      [4, 'formula-cell'],
      [5, 'formula-cell'],
    ]);
    expect(messageAt(findings, 2)).toMatch(/The id cell "=1\+1" starts like a spreadsheet formula/);
    expect(targets).toEqual([
      {
        id: '4583173393803140',
        given: '4583173393803140',
        note: { reason: `'=HYPERLINK("http://evil.example","x")`, ticket: "'@ticket" },
        source: { file: 'offboarding/formulas.csv', line: 6 },
      },
      {
        id: BIG_ID,
        given: BIG_ID,
        note: { reason: "'-left", ticket: "'+1" },
        source: { file: 'offboarding/formulas.csv', line: 7 },
      },
    ]);
  });

  it('gives the line where a record starts, even after quoted line breaks and blank lines', () => {
    const text =
      'email,reason\n"a@example.com","line one\nline two"\n\nb@example.com,x\nc@example.com,"1\n2\n3"\n';
    const { targets, findings } = parseOffboardingFile('a.csv', text);
    expect(findings).toEqual([]);
    expect(targets.map((target) => [target.email, (target.source as { line: number }).line])).toEqual([
      ['a@example.com', 2],
      ['b@example.com', 5],
      ['c@example.com', 6],
    ]);
    expect(targets[0]!.note).toEqual({ reason: 'line one\nline two' });
  });

  it.each([
    [
      'id,name\n4583173393803140,Jane\n',
      'unknown-column',
      /Unknown column "name": allowed columns are id, email, reason, ticket/,
    ],
    ['a@example.com\nb@example.com\n', 'unknown-column', /the first line must be a header/],
    ['id,ID\n1,2\n', 'duplicate-column', /"id" appears twice/],
    [
      'id;email\n1;a@example.com\n',
      'unknown-column',
      /Unknown column "id;email".*separate columns with commas/,
    ],
    ['reason,ticket\nx,y\n', 'missing-column', /neither an id nor an email column/],
  ])('refuses a bad header %j', (text, code, message) => {
    const { findings } = parseOffboardingFile('a.csv', text);
    expect(findings[0]).toMatchObject({ line: 1, code, message: expect.stringMatching(message) });
  });

  it('accepts header names in any case and order, and padded cells', () => {
    const { targets, findings } = parseOffboardingFile(
      'a.csv',
      'Ticket, Email ,ID\nHR-1, a@example.com , 4583173393803140 \n',
    );
    expect(findings).toEqual([]);
    expect(targets).toMatchObject([
      { id: '4583173393803140', email: 'a@example.com', note: { ticket: 'HR-1' } },
    ]);
  });

  it('refuses rows with more cells than columns, rows with neither id nor email, and broken quoting', () => {
    const { findings } = parseOffboardingFile('a.csv', 'id,email\n1,a@example.com,extra\n,\n,,\n');
    expect(where(findings)).toEqual([[2, 'extra-cells']]);
    const reasonOnly = parseOffboardingFile('a.csv', 'id,email,reason\n,,left\n');
    expect(where(reasonOnly.findings)).toEqual([[2, 'missing-id-or-email']]);
    const quoting = parseOffboardingFile('a.csv', 'id,email\n1,"a@example.com\n');
    expect(quoting.findings).toMatchObject([
      { code: 'syntax', message: expect.stringMatching(/not valid CSV/) },
    ]);
  });
});

describe('parseOffboardingFile: plain text', () => {
  it('reports every problem at once, each at its line', () => {
    const { targets, findings } = parseFixture('hostile.txt');
    expect(where(findings)).toEqual([
      [3, 'malformed-entry'],
      [4, 'malformed-id'],
      [5, 'malformed-id'],
      [6, 'malformed-entry'],
      [7, 'malformed-email'],
      [9, 'duplicate'],
    ]);
    expect(messageAt(findings, 3)).toMatch(/holds more than one value: write one ID or email per line/);
    expect(messageAt(findings, 7)).toMatch(/looks like gmail\.com/);
    expect(targets).toEqual([
      {
        id: '4583173393803140',
        given: '4583173393803140',
        source: { file: 'offboarding/hostile.txt', line: 8 },
      },
    ]);
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
      { file: 'a.txt', line: 1, code: 'not-utf8', message: 'a.txt is not UTF-8 text: save it as UTF-8' },
    ]);
  });

  it.each(['offboarding/list.xlsx', 'offboarding/README', 'offboarding/a.yaml.bak'])(
    'refuses the unsupported file %s, naming the formats allowed',
    (file) => {
      const { targets, findings } = parseOffboardingFile(file, '4583173393803140\n');
      expect(targets).toEqual([]);
      expect(findings).toEqual([
        {
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

describe('parseOffboardingFile: round trips (property-based)', () => {
  const MAX = 2n ** 63n - 1n;
  const idArb = fc.bigInt({ min: 1n, max: MAX }).map(String);
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
  const emailArb = fc
    .tuple(
      fc.stringMatching(/^[a-z0-9_][a-z0-9_+]{0,7}(\.[a-z0-9_]{1,8})?$/),
      label,
      fc.stringMatching(/^[a-z]{2,5}$/),
      fc.boolean(),
    )
    .map(([local, name, tld, shout]) =>
      shout ? `${local}@${name}.${tld}`.toUpperCase() : `${local}@${name}.${tld}`,
    );
  const reasonArb = fc.stringMatching(/^[A-Za-z]([A-Za-z ,"\n]{0,15}[A-Za-z])?$/);

  interface Spec {
    id?: string;
    email?: string;
    reason?: string;
  }
  const specArb: fc.Arbitrary<Spec> = fc
    .record({
      id: fc.option(idArb, { nil: undefined }),
      email: fc.option(emailArb, { nil: undefined }),
      reason: fc.option(reasonArb, { nil: undefined }),
    })
    .filter((spec) => spec.id !== undefined || spec.email !== undefined)
    .map(
      (spec) => Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined)) as Spec,
    );
  const specsArb = fc.array(specArb, { minLength: 1, maxLength: 15 }).filter((specs) => {
    const ids = specs.flatMap((spec) => (spec.id ? [spec.id] : []));
    const emails = specs.flatMap((spec) => (spec.email ? [spec.email.toLowerCase()] : []));
    return new Set(ids).size === ids.length && new Set(emails).size === emails.length;
  });
  /** Blank lines and comments to put before an entry (formats that allow them). */
  const paddingArb = fc.array(fc.constantFrom('', '# note'), { maxLength: 2 });

  function expected(file: string, specs: readonly Spec[], lines: readonly number[]): Target[] {
    return specs.map((spec, index) => ({
      ...(spec.id !== undefined && { id: spec.id }),
      ...(spec.email !== undefined && { email: spec.email.toLowerCase() }),
      given: (spec.id ?? spec.email)!,
      ...(spec.reason !== undefined && { note: { reason: spec.reason } }),
      source: { file, line: lines[index]! },
    }));
  }

  it('YAML: any list written as mappings or bare values parses back, line for line', () => {
    fc.assert(
      fc.property(specsArb, fc.array(fc.tuple(paddingArb, fc.boolean(), fc.boolean())), (specs, styles) => {
        const out = ['users:'];
        const lines: number[] = [];
        specs.forEach((spec, index) => {
          const [padding, bare, quoteId] = styles[index] ?? [[], false, false];
          out.push(...padding);
          lines.push(out.length + 1);
          const id = spec.id && (quoteId ? `"${spec.id}"` : spec.id);
          if (bare && spec.reason === undefined && !(spec.id && spec.email)) {
            out.push(`  - ${id ?? spec.email}`);
            return;
          }
          const fields = [
            ...(id ? [`id: ${id}`] : []),
            ...(spec.email ? [`email: ${spec.email}`] : []),
            ...(spec.reason !== undefined ? [`reason: ${JSON.stringify(spec.reason)}`] : []),
          ];
          out.push(`  - ${fields[0]}`, ...fields.slice(1).map((field) => `    ${field}`));
        });
        const parsed = parseOffboardingFile('list.yaml', `${out.join('\n')}\n`);
        expect(parsed.findings).toEqual([]);
        expect(parsed.targets).toEqual(expected('list.yaml', specs, lines));
      }),
    );
  });

  it('JSON: any list with bare or quoted numeric IDs parses back, line for line', () => {
    fc.assert(
      fc.property(specsArb, fc.array(fc.boolean()), (specs, quoted) => {
        const body = specs.map((spec, index) => {
          const id = spec.id && (quoted[index] ? `"${spec.id}"` : spec.id);
          const fields = [
            ...(id ? [`"id": ${id}`] : []),
            ...(spec.email ? [`"email": ${JSON.stringify(spec.email)}`] : []),
            ...(spec.reason !== undefined ? [`"reason": ${JSON.stringify(spec.reason)}`] : []),
          ];
          return `    { ${fields.join(', ')} }`;
        });
        const text = `{\n  "users": [\n${body.join(',\n')}\n  ]\n}\n`;
        const parsed = parseOffboardingFile('list.json', text);
        expect(parsed.findings).toEqual([]);
        expect(parsed.targets).toEqual(
          expected(
            'list.json',
            specs,
            specs.map((_, index) => index + 3),
          ),
        );
      }),
    );
  });

  it('CSV: any list, reasons with commas, quotes and line breaks included, parses back at each record start', () => {
    fc.assert(
      fc.property(specsArb, fc.boolean(), (specs, crlf) => {
        const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
        const rows = ['email,id,reason'];
        const lines: number[] = [];
        let line = 2;
        for (const spec of specs) {
          lines.push(line);
          const reason = spec.reason === undefined ? '' : quote(spec.reason);
          rows.push(`${spec.email ?? ''},${spec.id ?? ''},${reason}`);
          line += 1 + (spec.reason?.match(/\n/g)?.length ?? 0);
        }
        const text = `${rows.join('\n')}\n`;
        const parsed = parseOffboardingFile('list.csv', crlf ? text.replace(/\n/g, '\r\n') : text);
        expect(parsed.findings).toEqual([]);
        expect(parsed.targets).toEqual(expected('list.csv', specs, lines));
      }),
    );
  });

  it('text: any list of IDs and emails, with comments and blank lines, parses back line for line', () => {
    fc.assert(
      fc.property(specsArb, fc.array(paddingArb), (specs, paddings) => {
        const single = specs.map((spec) => (spec.id ? { id: spec.id } : { email: spec.email! }));
        const out: string[] = [];
        const lines: number[] = [];
        single.forEach((spec, index) => {
          out.push(...(paddings[index] ?? []));
          lines.push(out.length + 1);
          out.push(spec.id ?? spec.email);
        });
        const parsed = parseOffboardingFile('list.txt', `${out.join('\n')}\n`);
        expect(parsed.findings).toEqual([]);
        expect(parsed.targets).toEqual(expected('list.txt', single, lines));
      }),
    );
  });
});

describe('targetsFromInputs', () => {
  it('splits on commas and newlines, trims, ignores empties and records each position', () => {
    const { targets, findings } = targetsFromInputs({
      userIds: [`4583173393803140, ${BIG_ID}\n`, ''],
      emails: ['Jane@Example.com,,\n sam@example.com'],
    });
    expect(findings).toEqual([]);
    expect(targets).toEqual([
      { id: '4583173393803140', given: '4583173393803140', source: { input: 'user-ids', position: 1 } },
      { id: BIG_ID, given: BIG_ID, source: { input: 'user-ids', position: 2 } },
      { email: 'jane@example.com', given: 'Jane@Example.com', source: { input: 'emails', position: 1 } },
      { email: 'sam@example.com', given: 'sam@example.com', source: { input: 'emails', position: 2 } },
    ]);
  });

  it('names the input and position of each bad value, using the names it is given', () => {
    const names = { userIds: '--user-id', emails: '--email' };
    const { targets, findings } = targetsFromInputs(
      { userIds: ['1', '1e5', 'jane@example.com'], emails: ['4583173393803140', 'jane@gmаil.com'] },
      names,
    );
    expect(targets).toHaveLength(1);
    expect(findings).toEqual([
      {
        file: '--user-id',
        line: 2,
        code: 'malformed-id',
        message: expect.stringMatching(/"1e5" is not a user ID/),
      },
      {
        file: '--user-id',
        line: 3,
        code: 'malformed-id',
        message: expect.stringMatching(/looks like an email.*give emails in --email$/),
      },
      {
        file: '--email',
        line: 1,
        code: 'malformed-email',
        message: expect.stringMatching(/has no @; give user IDs in --user-id$/),
      },
      {
        file: '--email',
        line: 2,
        code: 'malformed-email',
        message: expect.stringMatching(/looks like gmail\.com/),
      },
    ]);
  });

  it('refuses the same user twice within the inputs', () => {
    const { targets, findings } = targetsFromInputs({ userIds: ['4583173393803140,4583173393803140'] });
    expect(targets).toHaveLength(1);
    expect(findings).toEqual([
      {
        file: 'user-ids',
        line: 2,
        code: 'duplicate',
        message:
          '"4583173393803140" names a user already listed ("4583173393803140" at position 1): list each user once',
      },
    ]);
  });

  it('gives nothing for no input', () => {
    expect(targetsFromInputs({})).toEqual({ targets: [], findings: [] });
  });
});

describe('crossCheckTargets', () => {
  const fromFile = (file: string, line: number, fields: Partial<Target>): Target => ({
    given: (fields.id ?? fields.email)!,
    source: { file, line },
    ...fields,
  });

  it('finds nothing when every target is distinct', () => {
    expect(
      crossCheckTargets([
        fromFile('a.yaml', 2, { id: '1' }),
        fromFile('b.yaml', 2, { id: '2', email: 'b@example.com' }),
        fromFile('b.yaml', 3, { email: 'c@example.com' }),
      ]),
    ).toEqual([]);
  });

  it('reports the same ID or email twice at the second place, naming the first', () => {
    const findings = crossCheckTargets([
      fromFile('offboarding/a.yaml', 4, { id: BIG_ID }),
      fromFile('offboarding/b.csv', 7, { id: BIG_ID, email: 'joe@example.com' }),
      fromFile('offboarding/b.csv', 9, { email: 'sam@example.com' }),
      { email: 'sam@example.com', given: 'Sam@example.com', source: { input: 'emails', position: 3 } },
    ]);
    expect(findings).toEqual([
      {
        file: 'offboarding/b.csv',
        line: 7,
        code: 'duplicate',
        message: `"${BIG_ID}" names a user already listed ("${BIG_ID}" at offboarding/a.yaml line 4): list each user once`,
      },
      {
        file: 'emails',
        line: 3,
        code: 'duplicate',
        message:
          '"Sam@example.com" names a user already listed ("sam@example.com" at offboarding/b.csv line 9): list each user once',
      },
    ]);
  });

  it('reports one ID given with two different emails, and one email with two IDs, as conflicts', () => {
    const findings = crossCheckTargets([
      fromFile('a.yaml', 2, { id: '1', email: 'one@example.com' }),
      fromFile('b.yaml', 5, { id: '1', email: 'uno@example.com' }),
      fromFile('a.yaml', 3, { id: '2', email: 'two@example.com' }),
      { id: '3', email: 'two@example.com', given: '3', source: { input: 'user-ids' } },
    ]);
    expect(findings).toEqual([
      {
        file: 'b.yaml',
        line: 5,
        code: 'conflict',
        message:
          'User ID 1 is given here with the email uno@example.com but with one@example.com at a.yaml line 2: one ID is one person; fix the ID or the email',
      },
      {
        file: 'user-ids',
        line: 1,
        code: 'conflict',
        message:
          'two@example.com is given here with the user ID 3 but with 2 at a.yaml line 3: one email is one person; fix the ID or the email',
      },
    ]);
  });

  it('does not report again what one file already reported', () => {
    const file = parseOffboardingFile('a.txt', '4583173393803140\n4583173393803140\n');
    expect(file.findings.map((finding) => finding.code)).toEqual(['duplicate']);
    expect(crossCheckTargets(file.targets)).toEqual([]);
  });
});

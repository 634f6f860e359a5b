import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_LIMITS, parseOffboardingFile, type Report } from '@smartsheet-offboard/core';
import { startSimulator } from '@smartsheet-offboard/simulator';
import { deactivationRequests } from '@smartsheet-offboard/testkit/journal';
import { generatedOrgSeed, member } from '@smartsheet-offboard/testkit/orgs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { TOKEN } from './support/secret.js';

const ORG_SIZE = 20;
const simulator = await startSimulator({
  seed: generatedOrgSeed(ORG_SIZE, TOKEN),
  requestsPerMinute: Infinity,
});
const dir = await mkdtemp(join(tmpdir(), 'offboard-suite-hostile-'));
afterAll(async () => {
  await simulator.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => simulator.reset());

/** A real member who would be deactivated if the hostile file were accepted at all. */
const BYSTANDER = member(0, ORG_SIZE);

async function apply(name: string, content: string | Buffer) {
  await writeFile(join(dir, name), content);
  const run = await cli(['apply', '--file', name, '--base-url', simulator.url, '--yes', '--json'], {
    cwd: dir,
    timeoutMs: 20_000,
  });
  return { run, report: JSON.parse(run.stdout) as Report };
}

/** Refused before any request, with a finding that names the file, and nobody deactivated. */
function expectRefused({ run, report }: Awaited<ReturnType<typeof apply>>, name: string, code?: RegExp) {
  expect(run.code, run.stderr).toBe(2);
  expect(report.findings?.length).toBeGreaterThan(0);
  for (const finding of report.findings ?? []) {
    expect(finding.file).toBe(name);
    expect(finding.message.length).toBeGreaterThan(10);
  }
  if (code)
    expect(report.findings?.map((finding) => finding.code)).toContainEqual(expect.stringMatching(code));
  expect(run.stderr).not.toMatch(/RangeError|Maximum call stack|at .*\.js:\d+/);
  expect(simulator.journal()).toEqual([]);
  expect(simulator.user(BYSTANDER.id)?.status).toBe('ACTIVE');
}

const HOSTILE_IDS = [
  '+4583173393803140',
  '-4583173393803140',
  '4583 173393803140',
  '4.583173393803140e15',
  '1e16',
  '1234567890123456789012345',
  '0x1047d8a4b6a084',
  '04583173393803140',
];

describe('hostile user IDs', () => {
  it.each(HOSTILE_IDS)('%s in a plain-text file is refused', async (id) => {
    expectRefused(await apply('ids.txt', `${BYSTANDER.email}\n${id}\n`), 'ids.txt', /malformed/);
  });

  it.each([
    '-4583173393803140',
    '1e16',
    '1234567890123456789012345',
    '4583173393803140.0',
    '"4583 173393803140"',
  ])('id: %s in YAML is refused', async (id) => {
    expectRefused(
      await apply('ids.yaml', `users:\n  - email: ${BYSTANDER.email}\n  - id: ${id}\n`),
      'ids.yaml',
      /malformed-id/,
    );
  });

  it.each(['-4583173393803140', '1e16', '1234567890123456789012345', '4583173393803140.5'])(
    '"id": %s in JSON is refused',
    async (id) => {
      expectRefused(
        await apply('ids.json', `{"users":[{"email":"${BYSTANDER.email}"},{"id":${id}}]}`),
        'ids.json',
        /malformed-id/,
      );
    },
  );
});

describe('hostile CSV cells', () => {
  it.each([
    ['=1+2', ''],
    ['@SUM(A1:A2)', ''],
    ['+2+3', ''],
    ['-2+3', ''],
    ['', '"=HYPERLINK(""http://evil.example/"",""click"")"'],
    ['', "=cmd|' /C calc'!A0"],
  ])('a formula-like cell (id %j, email %j) is refused', async (id, email) => {
    expectRefused(await apply('cells.csv', `id,email\n,${BYSTANDER.email}\n${id},${email}\n`), 'cells.csv');
  });
});

describe('hostile emails', () => {
  it.each([
    '<script>alert(1)</script>@example.com',
    '[click](http://evil.example)@example.com',
    '@everyone',
    'jane@example.com<img src=x onerror=alert(1)>',
  ])('%s is refused', async (email) => {
    expectRefused(await apply('emails.txt', `${BYSTANDER.email}\n${email}\n`), 'emails.txt');
  });

  it.each([
    ['a look-alike domain, gmаil.com (Cyrillic а)', 'joe@gm\u0430il.com'],
    [
      'a look-alike domain, ехample.com (Cyrillic е and х)',
      `${BYSTANDER.email.split('@')[0]}@\u0435\u0445ample.com`,
    ],
    // Valid address syntax (RFC 5322 allows `*`): it may be read, but must match nobody.
    ['markdown in a valid address', `**${BYSTANDER.email.split('@')[0]}**@example.com`],
  ])('%s never reaches the real user', async (_, email) => {
    const { run, report } = await apply('lookalike.txt', `${email}\n`);
    // Either refused as a file problem or kept apart from the real domain: never deactivated.
    expect(run.code).not.toBe(0);
    const refused = (report.findings?.length ?? 0) > 0;
    const keptApart = report.results.every((result) => ['blocked', 'not-found'].includes(result.outcome));
    expect(refused || keptApart).toBe(true);
    expect(deactivationRequests(simulator.journal())).toEqual([]);
    expect(simulator.user(BYSTANDER.id)?.status).toBe('ACTIVE');
  });
});

describe('oversized, deep and explosive files', () => {
  it('a file over 5 MiB is refused', async () => {
    const padding = `# ${'x'.repeat(1000)}\n`.repeat(Math.ceil(MANIFEST_LIMITS.maxBytes / 1000) + 10);
    expectRefused(await apply('huge.txt', `${BYSTANDER.email}\n${padding}`), 'huge.txt');
  });

  it('a file over 10,000 entries is refused', async () => {
    const lines = Array.from({ length: MANIFEST_LIMITS.maxEntries + 1 }, (_, i) => `leaver.${i}@example.com`);
    expectRefused(await apply('many.txt', `${BYSTANDER.email}\n${lines.join('\n')}\n`), 'many.txt');
  });

  it('JSON nested 100,000 deep is refused without a crash', async () => {
    const depth = 100_000;
    expectRefused(
      await apply(
        'deep.json',
        `{"users":[{"email":"${BYSTANDER.email}"},${'['.repeat(depth)}${']'.repeat(depth)}]}`,
      ),
      'deep.json',
    );
  });

  it('YAML nested 10,000 deep is refused without a crash', async () => {
    const depth = 10_000;
    expectRefused(
      await apply(
        'deep.yaml',
        `users:\n  - ${BYSTANDER.email}\n  - ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
      ),
      'deep.yaml',
    );
  });

  it('a YAML alias bomb (a billion laughs) is refused, quickly', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++) {
      const name = String.fromCharCode(97 + level);
      const previous = String.fromCharCode(96 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const bomb = `${levels.join('\n')}\nusers:\n  - ${BYSTANDER.email}\n  - *i\n`;
    const start = performance.now();
    expectRefused(await apply('bomb.yaml', bomb), 'bomb.yaml');
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});

describe('the parser alone', () => {
  it('never throws on hostile content, whatever the format', () => {
    const hostile = [
      '\u0000\u0001\ufeff',
      '{"users":',
      'users: [',
      '- *unknown',
      '\u202eusers:',
      '{"__proto__":{"x":1}}',
    ];
    for (const format of ['yaml', 'json', 'csv', 'txt']) {
      for (const content of hostile) {
        const parsed = parseOffboardingFile(`f.${format}`, content);
        expect(
          parsed.targets.length + parsed.findings.length,
          `${format}: ${JSON.stringify(content)}`,
        ).toBeGreaterThan(0);
      }
    }
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});

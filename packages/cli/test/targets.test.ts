import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Seed, type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { runCli } from '@smartsheet-offboard/testkit/processes';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// How targets reach the command line: several files at once, every command alike, one person once.

const TOKEN = 'cli-targets-token-5d2c9e71fa';
const ADMIN = { id: '1000000000000001', email: 'it.admin@example.com' };
const JANE = { id: '4583173393803140', email: 'jane.doe@example.com' };
const SAM = { id: '2331373580117892', email: 'sam.lee@example.com' };

const seed: Seed = {
  planDomains: ['example.com'],
  tokens: { [TOKEN]: ADMIN.id },
  users: [{ ...ADMIN, admin: true }, JANE, SAM],
};

let simulator: Simulator;
let dir: string;

const cli = (args: string[]) =>
  runCli(args, { cwd: dir, env: { SMARTSHEET_ACCESS_TOKEN: TOKEN, NO_COLOR: '1' } });
const deactivations = () =>
  simulator.journal().filter((entry) => entry.endpoint === 'deactivateUser' && entry.status === 200);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smartsheet-offboard-targets-'));
  await writeFile(join(dir, 'a.txt'), `${JANE.email}\n`);
  await writeFile(join(dir, 'b.json'), JSON.stringify({ users: [{ id: SAM.id }] }));
  await writeFile(join(dir, 'c.yaml'), `users:\n  - id: ${JANE.id}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  simulator = await startSimulator({ seed, requestsPerMinute: Number.POSITIVE_INFINITY });
});

afterEach(async () => {
  await simulator.stop();
});

describe('several files', () => {
  it.each([[['--file', 'a.txt', 'b.json']], [['--file', 'a.txt', '--file', 'b.json']]])(
    'plan %j reads them all (what a shell glob gives, or the option repeated)',
    async (files) => {
      const run = await cli(['plan', ...files, '--base-url', simulator.url, '--json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.results.map((result: { id: string }) => result.id)).toEqual([JANE.id, SAM.id]);
    },
  );

  it('validate takes the same target options as plan, and positional files too', async () => {
    const run = await cli(['validate', 'c.yaml', '--file', 'a.txt', 'b.json', '--user-id', '7', '--json']);
    expect(run.stderr).toBe('');
    // c.yaml names Jane by ID and a.txt by email: offline, nothing can tell they are one person.
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.targets.map((target: { given: string }) => target.given)).toEqual([
      JANE.id,
      JANE.email,
      SAM.id,
      '7',
    ]);
    expect(report.targets[3].source).toEqual({ input: '--user-id', position: 1 });
    expect(simulator.journal()).toEqual([]);
  });

  it('validate --json lists the targets of a valid file; the human form counts them', async () => {
    const json = await cli(['validate', '--json', 'b.json']);
    expect(JSON.parse(json.stdout).targets).toEqual([
      { id: SAM.id, given: SAM.id, source: { file: 'b.json', line: 1 } },
    ]);
    const human = await cli(['validate', '--file', 'a.txt', 'b.json']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('validate: 2 files valid, 2 targets');
  });
});

describe('file problems a person can act on', () => {
  it('a file of several YAML documents, and a bad value on its own line', async () => {
    await writeFile(join(dir, 'two.yaml'), 'users:\n  - a@example.com\n---\nusers:\n  - b@example.com\n');
    await writeFile(
      join(dir, 'bad.yaml'),
      `users:\n  - email: ${JANE.email}\n    reason: left\n    id: 12x\n`,
    );
    const run = await cli(['validate', 'two.yaml', 'bad.yaml']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^two\.yaml:3 syntax two\.yaml holds more than one YAML document/m);
    expect(run.stdout).not.toContain('parseAllDocuments');
    expect(run.stdout).toMatch(/^bad\.yaml:4 malformed-id /m);
  });
});

describe('one person is one result', () => {
  const jane = () => ['--file', 'a.txt', 'c.yaml', '--base-url', simulator.url];

  it('plan: Jane by email in one file and by ID in another is one row with both sources', async () => {
    const run = await cli(['plan', ...jane()]);
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => line.startsWith('would-deactivate'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('a.txt:1, c.yaml:2');
    expect(run.stdout).toContain('plan: 1 would-deactivate');
    expect(run.stdout).toContain('to deactivate 1 user.');

    const json = JSON.parse((await cli(['plan', ...jane(), '--json'])).stdout);
    expect(json.results).toHaveLength(1);
    expect(json.results[0].sources).toEqual([
      { file: 'a.txt', line: 1 },
      { file: 'c.yaml', line: 2 },
    ]);
  });

  it('apply: one request per person, counted once in the summary and under the cap', async () => {
    const run = await cli([
      'apply',
      ...jane(),
      '--email',
      SAM.email,
      '--user-id',
      SAM.id,
      '--yes',
      '--max-deactivations',
      '2',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('apply: 2 deactivated');
    expect(
      deactivations()
        .map((entry) => entry.userId)
        .sort(),
    ).toEqual([JANE.id, SAM.id].sort());
  });
});

describe('--dry-run', () => {
  it('apply --dry-run and reactivate --dry-run plan and change nothing, without a terminal or --yes', async () => {
    const dryApply = await cli(['apply', '--dry-run', '--email', JANE.email, '--base-url', simulator.url]);
    expect(dryApply.code).toBe(0);
    expect(dryApply.stdout).toContain('plan: 1 would-deactivate');
    expect(dryApply.stdout).toContain('Run the same command without --dry-run to deactivate 1 user.');
    expect(deactivations()).toEqual([]);

    await cli(['apply', '--yes', '--email', JANE.email, '--base-url', simulator.url]);
    const dryUndo = await cli([
      'reactivate',
      '--dry-run',
      '--email',
      JANE.email,
      '--base-url',
      simulator.url,
    ]);
    expect(dryUndo.code).toBe(0);
    expect(dryUndo.stdout).toContain('plan: 1 would-reactivate');
    expect(dryUndo.stdout).toContain('to reactivate 1 user.');
    expect(simulator.journal().filter((entry) => entry.endpoint === 'reactivateUser')).toEqual([]);
    expect(simulator.user(JANE.id)?.status).toBe('DEACTIVATED');
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Seed, type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { type CliOptions, type CliRun, runCli } from '@smartsheet-offboard/testkit/processes';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const TOKEN = 'cli-test-admin-token-7c1e44b0d9';
const ADMIN = { id: '1000000000000001', email: 'it.admin@example.com' };
const JANE = { id: '4583173393803140', email: 'jane.doe@example.com' };
// Above 2^53 and odd: through a JavaScript Number it would come out as 48569348493401200.
const BIG = { id: '48569348493401201', email: 'big.id@example.com' };
const GMAIL = { id: '2000000000000002', email: 'joe.private@gmail.com' };
const SSO = { id: '2000000000000003', email: 'sso.user@example.com' };
const GONE = { id: '2000000000000004', email: 'already.gone@example.com' };
// An Enterprise Plan Manager child organization's user: not in the organization's list.
const CHILD = { id: '2000000000000005', email: 'kim@child.example.com' };

const seed: Seed = {
  planDomains: ['example.com'],
  tokens: { [TOKEN]: ADMIN.id },
  users: [
    { ...ADMIN, admin: true },
    JANE,
    BIG,
    GMAIL,
    { ...SSO, directoryManaged: true },
    { ...GONE, status: 'DEACTIVATED' },
    { ...CHILD, childOrganization: true },
  ],
};

let simulator: Simulator;
let dir: string;
const outputs: CliRun[] = [];

/** Runs the built CLI with the token in its environment, and keeps every output for the secrecy check. */
async function cli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const run = await runCli(args, { ...options, env: { SMARTSHEET_ACCESS_TOKEN: TOKEN, ...options.env } });
  outputs.push(run);
  return run;
}

const connect = () => ['--base-url', simulator.url];

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const deactivations = () =>
  simulator.journal().filter((entry) => entry.endpoint === 'deactivateUser' && entry.status === 200);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smartsheet-offboard-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  // The token is a secret: no run, whatever it did, printed it.
  expect(outputs.length).toBeGreaterThan(10);
  for (const run of outputs) {
    expect(run.stdout).not.toContain(TOKEN);
    expect(run.stderr).not.toContain(TOKEN);
  }
});

beforeEach(async () => {
  simulator = await startSimulator({ seed, requestsPerMinute: Number.POSITIVE_INFINITY });
});

afterEach(async () => {
  await simulator.stop();
});

describe('validate', () => {
  it('reads every format offline and exits 0', async () => {
    const yaml = await file(
      'leavers.yaml',
      `users:\n  - email: ${JANE.email}\n    reason: Left the company\n    ticket: HR-1\n  - id: ${BIG.id}\n`,
    );
    const csv = await file('leavers.csv', `id,email,ticket\n,${SSO.email},HR-2\n`);
    const txt = await file('leavers.txt', `# one per line\n${GMAIL.id}\n`);
    const json = await file('leavers.json', `{"users": [{"id": ${GONE.id}}]}`);
    const run = await runCli(['validate', yaml, csv, txt, json]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('validate: 4 files valid, 5 targets');
    expect(run.stdout).toContain(`${BIG.id}`);
    expect(run.stdout).toMatch(/leavers\.yaml:2\s+HR-1 Left the company/);
  });

  it('exits 2 on an invalid file and names the file and line', async () => {
    const bad = await file('bad.csv', `id,email\n${JANE.id},${JANE.email}\n12x,\n`);
    const run = await runCli(['validate', bad]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`${bad}:3`);
    expect(run.stdout).toContain('malformed-id');
    expect(run.stdout).toContain('nothing was requested');
  });

  it('--json prints only the report, with its findings', async () => {
    const bad = await file('bad.txt', 'not-an-email-or-id\n');
    const run = await runCli(['validate', '--json', bad]);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.mode).toBe('validate');
    expect(report.findings).toEqual([expect.objectContaining({ file: bad, line: 1 })]);
  });
});

describe('plan', () => {
  it('shows what apply would do, reads only, and exits 1 when someone is blocked', async () => {
    const leavers = await file(
      'plan.yaml',
      `users:\n  - email: ${JANE.email}\n    ticket: HR-1\n  - ${GMAIL.email}\n  - id: ${GONE.id}\n`,
    );
    const run = await cli(['plan', '--file', leavers, ...connect()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`would-deactivate\\s+${JANE.id}\\s+${JANE.email}\\s+${leavers}:2\\s+HR-1`),
    );
    expect(run.stdout).toMatch(new RegExp(`blocked\\s+.*${GMAIL.email}.*isp-domain`));
    expect(run.stdout).toMatch(new RegExp(`already-deactivated\\s+${GONE.id}`));
    expect(run.stdout).toContain('plan: 1 would-deactivate, 1 already-deactivated, 1 blocked, 0 not-found');
    expect(run.stdout).toMatch(/Plan digest: sha256:[0-9a-f]{64}/);
    expect(simulator.journal().every((entry) => entry.method === 'GET')).toBe(true);
  });

  it('exits 0 when every target can be deactivated', async () => {
    const run = await cli(['plan', '--email', JANE.email, '--user-id', BIG.id, ...connect()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('plan: 2 would-deactivate');
    expect(run.stdout).toContain('Run apply with the same targets and options to deactivate 2 users.');
  });

  it('--json prints exactly the report, IDs as strings with every digit', async () => {
    const run = await cli([
      'plan',
      '--json',
      '--user-id',
      BIG.id,
      '--email',
      'nobody@example.com',
      ...connect(),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`"id": "${BIG.id}"`);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      mode: 'plan',
      planDigest: expect.stringMatching(/^sha256:/),
      summary: { 'would-deactivate': 1, scheduled: 0, 'already-deactivated': 0, blocked: 0, 'not-found': 1 },
    });
    expect(report.results).toContainEqual(
      expect.objectContaining({ id: BIG.id, email: BIG.email, outcome: 'would-deactivate' }),
    );
    expect(report.results).toContainEqual(
      expect.objectContaining({ given: 'nobody@example.com', outcome: 'not-found' }),
    );
  });

  it('passes the options to core: --plan-domains, --protect, --header', async () => {
    const run = await cli([
      'plan',
      '--json',
      '--user-id',
      JANE.id,
      '--user-id',
      BIG.id,
      '--protect',
      BIG.email,
      '--plan-domains',
      'example.org',
      '--header',
      'X-Trace: cli-test',
      ...connect(),
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const reasons = Object.fromEntries(
      report.results.map((result: { id: string; reason: string }) => [result.id, result.reason]),
    );
    expect(reasons).toEqual({ [JANE.id]: 'outside-plan-domains', [BIG.id]: 'protected' });
    expect(simulator.journal().every((entry) => entry.headers['x-trace'] === 'cli-test')).toBe(true);
  });

  it('--allow-child-organizations plans an ID the list lacks; retries are said on stderr, even with --json', async () => {
    const without = await cli(['plan', '--json', '--user-id', CHILD.id, ...connect()]);
    expect(JSON.parse(without.stdout).results[0]).toMatchObject({ outcome: 'blocked', reason: 'not-member' });
    simulator.failNext({ fault: 'gateway-503', endpoint: 'getCurrentUser' });
    const run = await cli([
      'plan',
      '--json',
      '--user-id',
      CHILD.id,
      '--allow-child-organizations',
      ...connect(),
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).results[0]).toMatchObject({ id: CHILD.id, outcome: 'would-deactivate' });
    expect(run.stderr).toMatch(
      /^Retrying GET \/users\/me in \d\.\d s \(try 2; up to 120 s in all\): Smartsheet answered HTTP 503 with a text\/html body that is not a Smartsheet error\.\n$/,
    );
  });

  it('an unknown refusal stops the run quoting Smartsheet, with no remedy of ours', async () => {
    simulator.failNext({
      fault: 'answer',
      answer: { status: 403, errorCode: 1999, message: 'A refusal added after this tool was written.' },
      endpoint: 'getCurrentUser',
    });
    const run = await cli(['plan', '--user-id', JANE.id, ...connect()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: Smartsheet answered HTTP 403 errorCode 1999, refId \w+: A refusal added after this tool was written\.\n$/,
    );
  });

  it('exits 2 on an invalid file before any request', async () => {
    const bad = await file('dup.txt', `${JANE.id}\n${JANE.id}\n`);
    const run = await cli(['plan', '--file', bad, ...connect()]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`${bad}:2`);
    expect(simulator.journal()).toEqual([]);
  });
});

describe('apply', () => {
  it('deactivates the eligible targets, reports the blocked ones and exits 1; a second run changes nothing', async () => {
    const leavers = await file(
      'apply.yaml',
      `users:\n  - ${JANE.email}\n  - id: ${BIG.id}\n  - ${GMAIL.email}\n  - ${SSO.email}\n  - id: ${GONE.id}\n`,
    );
    const first = await cli(['apply', '--yes', '--json', '--file', leavers, ...connect()]);
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout);
    expect(report.mode).toBe('apply');
    expect(report.summary).toEqual({
      deactivated: 2,
      scheduled: 0,
      'already-deactivated': 1,
      blocked: 2,
      'not-found': 0,
      failed: 0,
    });
    const byEmail = new Map(report.results.map((result: { email: string }) => [result.email, result]));
    expect(byEmail.get(GMAIL.email)).toMatchObject({ outcome: 'blocked', reason: 'isp-domain' });
    expect(byEmail.get(SSO.email)).toMatchObject({ outcome: 'blocked', reason: 'directory-managed' });
    expect(simulator.user(JANE.id)?.status).toBe('DEACTIVATED');
    expect(simulator.user(BIG.id)?.status).toBe('DEACTIVATED');
    expect(simulator.user(SSO.id)?.status).toBe('ACTIVE');
    expect(
      deactivations()
        .map((entry) => entry.userId)
        .sort(),
    ).toEqual([JANE.id, BIG.id].sort());

    const again = await cli(['apply', '--yes', '--file', leavers, ...connect()]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(
      'apply: 0 deactivated, 3 already-deactivated, 2 blocked, 0 not-found, 0 failed',
    );
    expect(deactivations()).toHaveLength(2);
  });

  it('exits 0 when every target ends deactivated or already deactivated', async () => {
    const run = await cli(['apply', '--yes', '--user-id', JANE.id, '--user-id', GONE.id, ...connect()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`deactivated\\s+${JANE.id}\\s+${JANE.email}\\s+--user-id`));
    expect(run.stdout).toContain(
      'apply: 1 deactivated, 1 already-deactivated, 0 blocked, 0 not-found, 0 failed',
    );
    expect(run.stderr).toBe('');
  });

  it('without a terminal and without --yes refuses before any request', async () => {
    const run = await cli(['apply', '--user-id', JANE.id, ...connect()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pass --yes');
    expect(simulator.journal()).toEqual([]);
    expect(simulator.user(JANE.id)?.status).toBe('ACTIVE');
  });

  it('refuses the whole run above --max-deactivations', async () => {
    const run = await cli([
      'apply',
      '--yes',
      '--max-deactivations',
      '1',
      '--user-id',
      JANE.id,
      '--user-id',
      BIG.id,
      ...connect(),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('over-limit');
    expect(run.stdout).toContain('nobody was deactivated');
    expect(deactivations()).toEqual([]);
  });
});

describe('reactivate', () => {
  it('reactivates a deactivated user and exits 0', async () => {
    const run = await cli(['reactivate', '--yes', '--json', '--user-id', GONE.id, ...connect()]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.mode).toBe('reactivate');
    expect(report.results).toEqual([expect.objectContaining({ id: GONE.id, outcome: 'reactivated' })]);
    expect(simulator.user(GONE.id)?.status).toBe('ACTIVE');
  });
});

describe('values only core can judge', () => {
  it.each([
    [['--protect', 'not-an-id'], 'Invalid --protect "not-an-id"'],
    [['--plan-domains', 'exa mple.com'], 'Invalid --plan-domains "exa mple.com"'],
    [['--header', 'Authorization: Bearer x'], 'Authorization is set from the token'],
  ])('%j exits 2 naming the option and the value, before any change', async (options, message) => {
    const run = await cli(['apply', '--yes', '--user-id', JANE.id, ...options, ...connect()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
    expect(deactivations()).toEqual([]);
  });

  it('a file that names nobody is refused as a mistake, before any request', async () => {
    const empty = await file('empty.yaml', 'users: []\n');
    const run = await cli(['apply', '--yes', '--file', empty, ...connect()]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`${empty}:1 no-entries`);
    expect(simulator.journal()).toEqual([]);
  });
});

describe('connection problems', () => {
  it.each([
    [['--region', 'gov'], 'Invalid --region "gov"'],
    [
      ['--base-url', 'https://api.smartsheetgov.com/2.0'],
      'Invalid --base-url "https://api.smartsheetgov.com/2.0"',
    ],
  ])('%j fails before any request', async (options, message) => {
    const run = await cli(['apply', '--yes', '--user-id', JANE.id, ...options]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('not available on Smartsheet Gov');
    expect(run.stdout).toBe('');
    expect(simulator.journal()).toEqual([]);
  });

  it('a token Smartsheet rejects exits 1 with what to do, never printing the token', async () => {
    const wrong = 'wrong-token-3d9f0a7c55e1';
    const run = await cli(['plan', '--user-id', JANE.id, ...connect()], {
      env: { SMARTSHEET_ACCESS_TOKEN: wrong },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stdout + run.stderr).not.toContain(wrong);
    expect(simulator.journal().length).toBeGreaterThan(0);
  });
});

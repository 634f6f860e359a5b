import { readFile } from 'node:fs/promises';
import { runCli } from '@smartsheet-offboard/testkit/processes';
import { describe, expect, it } from 'vitest';

const TOKEN = 'usage-test-token-0123456789abcdef';
const withToken = { env: { SMARTSHEET_ACCESS_TOKEN: TOKEN } };

describe('help and version', () => {
  it('shows every command, the token variable and the exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const text of ['validate', 'plan', 'apply', 'reactivate', 'SMARTSHEET_ACCESS_TOKEN', '130']) {
      expect(run.stdout).toContain(text);
    }
  });

  it.each(['validate', 'plan', 'apply', 'reactivate'])('%s --help has an example', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`\\$ smartsheet-offboard ${command} `));
  });

  it.each(['--version', '-v'])(
    '%s prints the package version, and says when it is not a release',
    async (flag) => {
      const run = await runCli([flag]);
      expect(run.code).toBe(0);
      const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
      expect(run.stdout.trim()).toBe(
        version === '0.0.0' ? '0.0.0 (unreleased: built from a clone of the repository)' : version,
      );
    },
  );

  it("each command's exit codes speak of what it does", async () => {
    const validate = (await runCli(['validate', '--help'])).stdout;
    expect(validate).toContain('0    every file and target is valid');
    expect(validate).not.toMatch(/deactivat|SMARTSHEET_ACCESS_TOKEN/);
    const reactivate = (await runCli(['reactivate', '--help'])).stdout;
    expect(reactivate).toContain('0    every target reactivated or already active');
    expect(reactivate).not.toMatch(/every target deactivated/);
    expect((await runCli(['apply', '--help'])).stdout).toContain(
      '0    every target deactivated or already deactivated',
    );
  });

  it('--help says that gov is always refused, and takes --file with several files', async () => {
    const help = (await runCli(['plan', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('gov is always refused');
    expect(help).toContain('--file <file...>');
    expect(help).not.toContain('--token <');
  });
});

describe('usage errors exit 2, naming the option, the value and what is allowed', () => {
  it.each([
    [
      ['plan', '--user-id', '1', '--max-deactivations', '0'],
      "'--max-deactivations <n>' argument '0'",
      'whole number',
    ],
    [
      ['plan', '--user-id', '1', '--requests-per-minute', 'fast'],
      "'--requests-per-minute <n>' argument 'fast'",
      'whole number',
    ],
    [
      ['plan', '--user-id', '1', '--region', 'mars'],
      "'--region <region>' argument 'mars'",
      'us, eu or au, in any case (gov is refused',
    ],
    [
      ['plan', '--user-id', '1', '--header', 'NoColon'],
      "'--header <header>' argument 'NoColon'",
      "'Name: value'",
    ],
    [
      ['plan', '--user-id', '1', '--plan-domains', 'a.com,,b.com'],
      "argument 'a.com,,b.com'",
      'comma-separated',
    ],
    // Points at the variable, never echoing the value.
    [['plan', '--token', 'abc'], '--token is not accepted', 'SMARTSHEET_ACCESS_TOKEN'],
    [['validate', 'x.txt', '--token=abc'], '--token is not accepted', 'SMARTSHEET_ACCESS_TOKEN'],
    [
      ['plan', '--file', 'does-not-exist.yaml'],
      'Cannot read --file "does-not-exist.yaml": no such file',
      'Allowed',
    ],
    [['validate', 'does-not-exist.csv'], 'Cannot read file "does-not-exist.csv": no such file', 'Allowed'],
    [['validate'], 'no targets', '--file FILE..., --user-id ID or --email EMAIL'],
    [['plan'], 'no targets', '--file FILE..., --user-id ID or --email EMAIL'],
    [['frobnicate'], "unknown command 'frobnicate'", ''],
  ])('%j', async (args, problem, allowed) => {
    const run = await runCli(args, withToken);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(/\babc\b/);
    expect(run.stderr).toContain(problem);
    expect(run.stderr).toContain(allowed);
  });

  it('names every unreadable file at once, not only the first', async () => {
    const run = await runCli(['validate', 'missing-one.txt', 'test', 'missing-two.csv'], withToken);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    for (const problem of [
      'Cannot read file "missing-one.txt": no such file',
      'Cannot read file "test": it is a directory',
      'Cannot read file "missing-two.csv": no such file',
    ]) {
      expect(run.stderr).toContain(problem);
    }
  });

  it('needs the token in SMARTSHEET_ACCESS_TOKEN for plan, apply and reactivate', async () => {
    for (const args of [['plan'], ['apply', '--yes'], ['reactivate', '--yes']]) {
      const run = await runCli([...args, '--user-id', '1']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('SMARTSHEET_ACCESS_TOKEN is not set');
    }
  });

  it.each(['apply', 'reactivate'])('%s without a terminal and without --yes refuses', async (command) => {
    const run = await runCli([command, '--user-id', '1'], withToken);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no terminal to ask on');
    expect(run.stderr).toContain('pass --yes');
  });

  it('plan has no --yes: it changes nothing', async () => {
    const run = await runCli(['plan', '--user-id', '1', '--yes'], withToken);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--yes'");
  });
});

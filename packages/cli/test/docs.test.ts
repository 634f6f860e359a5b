import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@smartsheet-offboard/testkit/processes';
import { describe, expect, it } from 'vitest';

// The README and --help say the same, and a clone has somewhere to start from.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cliReadme = readFileSync(join(root, 'packages/cli/README.md'), 'utf8');
const rootReadme = readFileSync(join(root, 'README.md'), 'utf8');
const COMMANDS = ['validate', 'plan', 'apply', 'reactivate'];

const optionsIn = (text: string) =>
  new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]+/g)].map((match) => match[0]));

async function helpOptions(): Promise<Map<string, Set<string>>> {
  const byCommand = new Map<string, Set<string>>();
  for (const command of COMMANDS) {
    const help = (await runCli([command, '--help'])).stdout;
    const options = help.split('\nOptions:\n')[1]!.split('\n\n')[0]!;
    byCommand.set(
      command,
      new Set(
        [...options.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)]
          .map((match) => match[1]!)
          .filter((name) => name !== '--help'),
      ),
    );
  }
  return byCommand;
}

describe('README and --help', () => {
  it('the CLI README documents every option of every command, and no option that does not exist', async () => {
    const byCommand = await helpOptions();
    const inHelp = new Set([...byCommand.values()].flatMap((options) => [...options]));
    const tables = cliReadme.split('\n## Targets\n')[1]!.split('\n## Environment\n')[0]!;
    const documented = new Set([...tables.matchAll(/^\| `(--[a-z-]+)/gm)].map((match) => match[1]!));
    expect([...inHelp].sort()).toEqual([...documented].sort());
  });

  it("the project README's synopsis names every option", async () => {
    const synopsis = rootReadme.split('\n## The command line\n')[1]!.split('\n### ')[0]!;
    const named = optionsIn(synopsis);
    for (const options of (await helpOptions()).values()) {
      for (const option of options) expect(named, option).toContain(option);
    }
  });

  it('no install command that fails before a release or fetches another package', () => {
    for (const text of [
      rootReadme,
      cliReadme,
      readFileSync(join(root, 'packages/simulator/README.md'), 'utf8'),
    ]) {
      expect(text).not.toMatch(/npx smartsheet-simulator/);
      for (const [line] of text.matchAll(/^.*npx .*$/gm)) {
        expect(line).toMatch(/npx -p @smartsheet-offboard\/simulator smartsheet-simulator/);
      }
    }
    expect(rootReadme).toContain('COREPACK_ENABLE_DOWNLOAD_PROMPT=0 pnpm install');
  });
});

describe('from a clone', () => {
  // The build is skipped (SMARTSHEET_OFFBOARD_BUILT): the suite runs while other tests read lib/.
  const pnpm = (args: string[]) =>
    spawnSync('pnpm', ['--silent', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, SMARTSHEET_OFFBOARD_BUILT: '1', SMARTSHEET_ACCESS_TOKEN: '' },
      timeout: 30_000,
    });

  it('pnpm offboard runs the command line with the arguments given', () => {
    const run = pnpm(['offboard', 'validate', 'examples/offboarding/2026-11-26-demo.yaml']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('validate: 1 file valid, 6 targets');
  });

  it('pnpm simulator runs the simulator', () => {
    const run = pnpm(['simulator', '--version']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("builds before pnpm offboard/simulator/demo without turbo's banners, and says so when it fails", () => {
    const build = (target: string) =>
      spawnSync(process.execPath, ['scripts/build-quietly.mjs', target], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, SMARTSHEET_OFFBOARD_BUILT: '' },
        timeout: 60_000,
      });
    // A package with nothing to build: turbo runs and would print its banner and task summary.
    const quiet = build('@smartsheet-offboard/node24');
    expect([quiet.status, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
    const failed = build('@smartsheet-offboard/no-such-package');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('Building @smartsheet-offboard/no-such-package failed');
  });

  it.each([
    ['packages/cli', 'smartsheet-offboard'],
    ['packages/simulator', 'smartsheet-simulator'],
  ])(
    '%s: the bin is a committed executable, not a build output (a cached build lost its execute bit)',
    (dir, name) => {
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      const bin = join(root, dir, manifest.bin[name]);
      expect(manifest.bin[name]).toMatch(/^\.\/bin\//);
      accessSync(bin, constants.X_OK);
      // Run as a program, the way npm's and pnpm's links run it: no `node` in front.
      const run = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 15_000 });
      expect(run.error).toBeUndefined();
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
    },
  );
});

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { runCli, runNode } from '@smartsheet-offboard/testkit/processes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const examples = 'examples/offboarding';
const exampleFiles = readdirSync(`${root}${examples}`)
  .filter((name) => /\.(ya?ml|json|csv|txt)$/.test(name))
  .map((name) => `${examples}/${name}`);

describe('pnpm demo (node scripts/demo.mjs)', () => {
  it('runs validate, plan, apply and plan again on the example organisation and exits 0', async () => {
    const demo = await runNode(['scripts/demo.mjs'], { cwd: root, timeoutMs: 55_000 });
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    const { stdout } = demo;
    const steps = [
      '── 1/4 Validate',
      '$ smartsheet-offboard validate examples/offboarding/2026-11-26-demo.yaml',
      'validate: 1 file valid, 6 targets',
      '── 2/4 Plan',
      'plan: 4 would-deactivate, 1 already-deactivated, 1 blocked, 0 not-found',
      '── 3/4 Apply',
      '$ smartsheet-offboard apply --yes --file examples/offboarding/2026-11-26-demo.yaml',
      'apply: 3 deactivated, 1 already-deactivated, 2 blocked, 0 not-found, 0 failed',
      '→ exit code 1: expected here: two users are blocked.',
      '── 4/4 Plan again',
      'plan: 1 would-deactivate, 4 already-deactivated, 1 blocked, 0 not-found',
      'Done: every step behaved as expected.',
      'packages/cli/README.md',
      'examples/workflows/',
    ];
    let from = 0;
    for (const line of steps) {
      const at = stdout.indexOf(line, from);
      expect(at, `"${line}" after position ${from}`).toBeGreaterThanOrEqual(from);
      from = at + line.length;
    }
    expect(stdout).toMatch(/blocked\s+-\s+joe@gmail\.com\s+.*isp-domain/);
    expect(stdout).toMatch(/blocked\s+7726193384011204\s+olivia\.okta@example\.com\s+.*directory-managed/);
    expect(stdout).toMatch(/deactivated\s+9007199254740993\s+nina\.big@example\.com/);
    expect(stdout).not.toContain('demo-admin-token');
  }, 60_000);
});

describe('the example offboarding files', () => {
  let simulator: Simulator;
  beforeAll(async () => {
    simulator = await startSimulator({
      seedFile: `${root}packages/simulator/examples/org.yaml`,
      requestsPerMinute: Number.POSITIVE_INFINITY,
    });
  });
  afterAll(async () => {
    await simulator.stop();
  });

  it('cover every format and are valid', async () => {
    expect(exampleFiles.map((file) => file.split('.').pop()).sort()).toEqual(['csv', 'json', 'txt', 'yaml']);
    const run = await runCli(['validate', ...exampleFiles], { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`validate: ${exampleFiles.length} files valid`);
  });

  it.each(exampleFiles)('%s names users of the example organisation', async (file) => {
    const run = await runCli(['plan', '--json', '--file', file, '--base-url', simulator.url], {
      cwd: root,
      env: { SMARTSHEET_ACCESS_TOKEN: 'demo-admin-token' },
    });
    expect(run.stderr, `exit ${run.code}`).toBe('');
    expect(JSON.parse(run.stdout).summary['not-found'], run.stdout).toBe(0);
  });
});

// The rollback as the runner starts it: the committed bundle in a Node 24 process, `mode: reactivate` on
// workflow_dispatch, Smartsheet at the simulator (with its reactivation window), GitHub at a local fake.
import { node24Path } from '@smartsheet-offboard/node24';
import { startSimulator } from '@smartsheet-offboard/simulator';
import { FakeGitHubServer } from '@smartsheet-offboard/testkit/github-server';
import { CALLER } from '@smartsheet-offboard/testkit/orgs';
import { type BundleRun, runActionBundle } from '@smartsheet-offboard/testkit/processes';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SMARTSHEET_TOKEN } from './support/org.js';

const RECENT = { id: '3000000000000001', email: 'recent.leaver@example.com' };
const LONG_GONE = { id: '48569348493401201', email: 'long.gone@example.com' };

const simulator = await startSimulator({
  requestsPerMinute: Infinity,
  seed: {
    settings: { reactivationWindowDays: 30 },
    tokens: { [SMARTSHEET_TOKEN]: CALLER.id },
    users: [
      { ...CALLER, admin: true },
      { ...RECENT, status: 'DEACTIVATED', deactivatedDaysAgo: 2 },
      { ...LONG_GONE, status: 'DEACTIVATED', deactivatedDaysAgo: 60 },
    ],
  },
});
const github = await new FakeGitHubServer('acme', 'people').start();
afterAll(async () => {
  await simulator.stop();
  await github.stop();
});
beforeEach(() => simulator.reset());

function rollback(inputs: Record<string, string>): Promise<BundleRun> {
  return runActionBundle({
    eventName: 'workflow_dispatch',
    payload: { inputs },
    inputs: {
      mode: 'reactivate',
      'dry-run': 'false',
      'max-deactivations': '25',
      'requests-per-minute': '300',
      'github-token': 'ghs_e2eRollbackToken0123',
      'smartsheet-token': SMARTSHEET_TOKEN,
      'api-base-url': simulator.url,
      ...inputs,
    },
    githubApiUrl: github.url,
    node: node24Path,
  });
}

const failures = (run: BundleRun) => run.stdout.split('\n').filter((line) => line.startsWith('::error::'));

describe('mode reactivate via workflow_dispatch, as the runner starts the bundle', () => {
  it('restores a user within the window and reports one outside it, failing once after both', async () => {
    const run = await rollback({ emails: RECENT.email, 'user-ids': LONG_GONE.id });
    expect(run.code).toBe(1);
    expect(simulator.user(RECENT.id)?.status).toBe('ACTIVE');
    expect(simulator.user(LONG_GONE.id)?.status).toBe('DEACTIVATED');
    const report = JSON.parse(run.outputs.report!);
    expect(report.mode).toBe('reactivate');
    expect(
      report.results.map((result: { id: string; outcome: string; reason?: string }) => [
        result.id,
        result.outcome,
        result.reason,
      ]),
    ).toEqual([
      [LONG_GONE.id, 'blocked', 'reactivation-window'],
      [RECENT.id, 'reactivated', undefined],
    ]);
    // The ID above 2^53 went from the input to the URL to the output as written.
    expect(JSON.parse(run.outputs.blocked!)).toEqual([LONG_GONE.id]);
    expect(run.stdout).toMatch(/::error title=Outside the reactivation window::/);
    expect(failures(run)).toEqual([
      '::error::Some users did not end reactivated (1 blocked); see the annotations and the job summary.',
    ]);
    expect(run.summary).toContain('Smartsheet reactivation');
    // The rollback needs nothing from GitHub.
    expect(github.requests).toEqual([]);
    const visible = [
      run.stdout.replace(/^::add-mask::.*$/gm, ''),
      run.stderr,
      run.summary,
      JSON.stringify(run.outputs),
    ].join('\n');
    expect(visible).not.toContain(SMARTSHEET_TOKEN);
  });

  it('dry-run reactivates nobody and says who would be', async () => {
    const run = await rollback({ emails: RECENT.email, 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(simulator.journal().some((entry) => entry.endpoint === 'reactivateUser')).toBe(false);
    expect(JSON.parse(run.outputs.report!).results).toMatchObject([
      { id: RECENT.id, outcome: 'would-reactivate' },
    ]);
    expect(run.summary).toContain('dry run: nothing changed');
  });

  it('refuses on any other event before any request', async () => {
    const run = await runActionBundle({
      eventName: 'push',
      payload: {
        ref: 'refs/heads/main',
        after: 'b'.repeat(40),
        before: 'a'.repeat(40),
        repository: { default_branch: 'main' },
      },
      inputs: {
        mode: 'reactivate',
        'user-ids': RECENT.id,
        'smartsheet-token': SMARTSHEET_TOKEN,
        'api-base-url': simulator.url,
      },
      githubApiUrl: github.url,
      node: node24Path,
    });
    expect(run.code).toBe(1);
    expect(failures(run)[0]).toMatch(/mode reactivate runs only on workflow_dispatch/);
    expect(simulator.journal()).toEqual([]);
  });
});

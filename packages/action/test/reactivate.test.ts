import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@smartsheet-offboard/simulator';
import { CALLER } from '@smartsheet-offboard/testkit/orgs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionInputs } from '../src/inputs.js';
import { run } from '../src/run.js';
import { testEnvironment, testInputs } from './support/fixtures.js';
import { SMARTSHEET_TOKEN } from './support/org.js';
import { RecordingReporter } from './support/reporter.js';

const RECENT = { id: '3000000000000001', email: 'recent.leaver@example.com' };
const LONG_GONE = { id: '3000000000000002', email: 'long.gone@example.com' };
const ACTIVE = { id: '3000000000000003', email: 'still.here@example.com' };

const simulator = await startSimulator({
  requestsPerMinute: Infinity,
  seed: {
    planDomains: ['example.com'],
    settings: { reactivationWindowDays: 30 },
    tokens: { [SMARTSHEET_TOKEN]: CALLER.id },
    users: [
      { ...CALLER, admin: true },
      { ...RECENT, status: 'DEACTIVATED', deactivatedDaysAgo: 3 },
      { ...LONG_GONE, status: 'DEACTIVATED', deactivatedDaysAgo: 45 },
      ACTIVE,
    ],
  },
});
afterAll(() => simulator.stop());
beforeEach(() => simulator.reset());

function inputs(overrides: Partial<ActionInputs> = {}): ActionInputs {
  return testInputs(simulator.url, { mode: 'reactivate', ...overrides });
}

async function reactivate(overrides: Partial<ActionInputs>, eventName = 'workflow_dispatch') {
  const dir = await mkdtemp(join(tmpdir(), 'offboard-reactivate-'));
  const reporter = new RecordingReporter();
  const result = await run(inputs(overrides), {
    environment: testEnvironment(eventName, {}, { workspace: dir, runnerTemp: dir }),
    reporter,
  });
  return { result, reporter };
}

const reactivations = () =>
  simulator
    .journal()
    .filter((entry) => entry.endpoint === 'reactivateUser')
    .map((entry) => entry.userId);

describe('mode reactivate (the rollback)', () => {
  it('reactivates a user within the window, reports one outside it per user, and fails after reporting both', async () => {
    const { result, reporter } = await reactivate({
      userIds: [LONG_GONE.id],
      emails: [RECENT.email, ACTIVE.email],
    });
    expect(simulator.user(RECENT.id)?.status).toBe('ACTIVE');
    expect(simulator.user(LONG_GONE.id)?.status).toBe('DEACTIVATED');
    expect(reactivations().sort()).toEqual([RECENT.id, LONG_GONE.id].sort());
    const byId = new Map(result.report!.results.map((entry) => [entry.id, entry]));
    expect(byId.get(RECENT.id)).toMatchObject({ outcome: 'reactivated' });
    expect(byId.get(ACTIVE.id)).toMatchObject({ outcome: 'already-active' });
    expect(byId.get(LONG_GONE.id)).toMatchObject({
      outcome: 'blocked',
      reason: 'reactivation-window',
      errorCode: 1004,
    });
    expect(result.report!.mode).toBe('reactivate');
    expect(result.failure).toBe(
      'Some users did not end reactivated (1 blocked); see the annotations and the job summary.',
    );
    expect(JSON.parse(reporter.outputs.get('blocked')!)).toEqual([LONG_GONE.id]);
    expect(reporter.annotations).toEqual([
      expect.objectContaining({ level: 'error', properties: { title: 'Outside the reactivation window' } }),
    ]);
    expect(reporter.summary).toContain('### ❌ Smartsheet reactivation');
    expect(reporter.summary).toContain('Safety cap: at most 25 reactivations per run (this run: 1).');
    expect(reporter.everything()).not.toContain(SMARTSHEET_TOKEN);
  });

  it('dry-run shows who would be reactivated and reactivates nobody', async () => {
    const { result, reporter } = await reactivate({ dryRun: true, emails: [RECENT.email] });
    expect(reactivations()).toEqual([]);
    expect(simulator.user(RECENT.id)?.status).toBe('DEACTIVATED');
    expect(result.failure).toBeUndefined();
    expect(result.report).toMatchObject({
      mode: 'plan',
      summary: { 'would-reactivate': 1 },
      results: [{ id: RECENT.id, outcome: 'would-reactivate' }],
    });
    expect(reporter.summary).toContain('Smartsheet reactivation plan (dry run: nothing changed)');
    expect(reporter.summary).toContain('Dry run: nobody was reactivated.');
  });

  it('runs only on workflow_dispatch: on push it refuses before any request', async () => {
    const { result, reporter } = await reactivate({ userIds: [RECENT.id] }, 'push');
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toMatch(/^mode reactivate runs only on workflow_dispatch \(this run is on push\)/);
    expect(reporter.summary).toContain('Smartsheet reactivation not run');
  });

  it('refuses when no user is named, and without a token, before any request', async () => {
    expect((await reactivate({})).result.failure).toMatch(/^Give user-ids or emails/);
    expect((await reactivate({ smartsheetToken: undefined, userIds: [RECENT.id] })).result.failure).toMatch(
      /^Input 'smartsheet-token' is empty/,
    );
    expect(simulator.journal()).toEqual([]);
  });

  it('refuses a malformed ID by name before any request', async () => {
    const { result, reporter } = await reactivate({ userIds: ['12ab'] });
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toBe(
      '1 problem in the user-ids or emails inputs; nothing was requested from Smartsheet.',
    );
    expect(reporter.annotations[0]).toMatchObject({
      level: 'error',
      properties: { title: 'Invalid user-ids input' },
    });
  });

  it('the safety cap covers reactivations: over it, nobody is reactivated', async () => {
    const { result } = await reactivate({ maxDeactivations: 1, userIds: [RECENT.id, LONG_GONE.id] });
    expect(reactivations()).toEqual([]);
    expect(result.report!.results.every((entry) => entry.reason === 'over-limit')).toBe(true);
  });
});

describe('dry-run on a deactivation', () => {
  it('makes an apply a plan: nobody is deactivated', async () => {
    const { result } = await reactivate({ mode: 'apply', dryRun: true, userIds: [ACTIVE.id] });
    expect(simulator.journal().some((entry) => entry.endpoint === 'deactivateUser')).toBe(false);
    expect(result.report).toMatchObject({
      mode: 'plan',
      results: [{ id: ACTIVE.id, outcome: 'would-deactivate' }],
    });
  });
});

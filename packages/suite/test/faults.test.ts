import { setTimeout as delay } from 'node:timers/promises';
import { offboard } from '@smartsheet-offboard/core';
import { type FaultOptions, type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { deactivationRequests, successfulDeactivations } from '@smartsheet-offboard/testkit/journal';
import { DOMAIN, generatedOrgSeed, members, UNTOUCHABLE } from '@smartsheet-offboard/testkit/orgs';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from './support/outputs.js';
import { TOKEN } from './support/secret.js';

// The simulator's minute lasts 600 ms and the client's clock runs as fast, so retries and the
// rate limit behave as against the real API, in a hundredth of the time.
const TIME_SCALE = 100;
const ORG_SIZE = 120;
const LEAVERS = members(ORG_SIZE).filter((_, index) => index % 3 === 0);

let simulator: Simulator | undefined;
afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

/**
 * `stormsFromFirstChange` are armed when the first deactivation is answered, so they fall in the
 * middle of the run however late a loaded machine starts it.
 */
async function offboardUnder(faults: FaultOptions, stormsFromFirstChange?: FaultOptions['storms']) {
  let stormsArmed = false;
  simulator = await startSimulator({
    seed: generatedOrgSeed(ORG_SIZE, TOKEN),
    requestsPerMinute: 300,
    timeScale: TIME_SCALE,
    faults,
  });
  const untouchables = Object.values(UNTOUCHABLE);
  const result = await offboard({
    mode: 'apply',
    inputs: {
      emails: [
        ...LEAVERS.map((leaver) => leaver.email),
        ...untouchables.map((user) => user.email),
        `nobody@${DOMAIN}`,
      ],
    },
    connection: {
      token: TOKEN,
      baseUrl: simulator.url,
      now: () => performance.now() * TIME_SCALE,
      sleep: (ms, signal) => delay(ms / TIME_SCALE, undefined, { signal }),
      // The scaled clock also shrinks the per-attempt timeout (300 ms) and the retry budget (1.2 s) in
      // real time; a loaded machine can outlast both with no fault at all. Ten times as long keeps the
      // faults the only cause of retries, and the run still bounded.
      requestTimeoutMs: 10 * 30_000,
      maxRetryTimeMs: 10 * 120_000,
      onAttempt: ({ method }) => {
        if (stormsFromFirstChange && !stormsArmed && method === 'POST') {
          stormsArmed = true;
          simulator?.setFaults({ ...faults, storms: stormsFromFirstChange });
        }
      },
    },
    planOptions: {
      planDomains: [DOMAIN],
      protectedUsers: [UNTOUCHABLE.protected.email],
      maxDeactivations: 100,
    },
  });
  await collect('offboard() report under faults', JSON.stringify(result.report));
  return { report: result.report, journal: simulator.journal(), simulator };
}

function expectEveryoneHandledOnce({
  report,
  journal,
  simulator,
}: Awaited<ReturnType<typeof offboardUnder>>) {
  // One result per target, each with exactly one outcome.
  const given = report.results.map((result) => result.given);
  expect(given).toHaveLength(LEAVERS.length + Object.keys(UNTOUCHABLE).length + 1);
  expect(new Set(given).size).toBe(given.length);

  // Transient faults end in success: every leaver is deactivated, and says so.
  for (const leaver of LEAVERS) {
    expect(report.results.find((result) => result.given === leaver.email)).toMatchObject({
      id: leaver.id,
      outcome: 'deactivated',
    });
    expect(simulator.user(leaver.id)?.status).toBe('DEACTIVATED');
  }
  for (const user of Object.values(UNTOUCHABLE)) {
    expect(report.results.find((result) => result.given === user.email)?.outcome).toBe('blocked');
    expect(simulator.user(user.id)?.status).toBe('ACTIVE');
  }
  expect(report.results.find((result) => result.given === `nobody@${DOMAIN}`)?.outcome).toBe('not-found');

  // Nobody outside the plan is ever asked for, and nobody is deactivated twice.
  const planned = new Set(LEAVERS.map((leaver) => leaver.id));
  expect(deactivationRequests(journal).filter((id) => !planned.has(id))).toEqual([]);
  const successes = successfulDeactivations(journal);
  expect([...successes.keys()].sort()).toEqual([...planned].sort());
  expect([...successes.values()].every((count) => count === 1)).toBe(true);
}

describe('offboard() under injected faults', () => {
  it.each(['alpha', 'bravo', 'charlie'])(
    'random faults (seed %s): everyone ends with one outcome',
    async (seed) => {
      const run = await offboardUnder({
        seed,
        rates: { 4001: 0.06, 4002: 0.06, 4004: 0.06, reset: 0.04, slow: 0.04 },
        slowMs: 30,
      });
      // The seeded faults did happen: the run is not a calm one by luck.
      expect(run.journal.filter((entry) => entry.fault !== undefined).length).toBeGreaterThan(5);
      expectEveryoneHandledOnce(run);
    },
  );

  it('429 and 503 storms in the middle of the run: everyone ends with one outcome', async () => {
    const run = await offboardUnder({ seed: 'storms', rates: { 4004: 0.05 } }, [
      { startMs: 0, durationMs: 120, status: 429 },
      { startMs: 240, durationMs: 80, status: 503 },
    ]);
    expect(run.journal.filter((entry) => entry.fault === 'storm').length).toBeGreaterThan(0);
    expectEveryoneHandledOnce(run);
  });
});

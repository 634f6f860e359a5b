import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Report } from '@smartsheet-offboard/core';
import { startSimulator } from '@smartsheet-offboard/simulator';
import { successfulDeactivations } from '@smartsheet-offboard/testkit/journal';
import { generatedOrgSeed, members } from '@smartsheet-offboard/testkit/orgs';
import { afterAll, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { collect } from './support/outputs.js';
import { TOKEN } from './support/secret.js';

const simulator = await startSimulator({ seed: generatedOrgSeed(90, TOKEN), requestsPerMinute: Infinity });
const dir = await mkdtemp(join(tmpdir(), 'offboard-suite-kill-'));
afterAll(async () => {
  await simulator.stop();
  await rm(dir, { recursive: true, force: true });
});

const LEAVERS = members(90).filter((_, index) => index % 3 === 1);

it('a run killed with SIGKILL in the middle of apply, run again, deactivates everyone exactly once', async () => {
  const file = join(dir, 'leavers.txt');
  await writeFile(file, `# ${LEAVERS.length} leavers\n${LEAVERS.map((leaver) => leaver.email).join('\n')}\n`);
  const args = (requestsPerMinute: number) => [
    'apply',
    '--file',
    file,
    '--base-url',
    simulator.url,
    '--requests-per-minute',
    String(requestsPerMinute),
    '--max-deactivations',
    '100',
    '--yes',
    '--json',
  ];

  // 600 requests a minute: one deactivation every 100 ms, so the kill lands in the middle.
  const first = await cli(args(600), {
    onSpawn: (child) => {
      void (async () => {
        while (successfulDeactivations(simulator.journal()).size < 8) await delay(10);
        child.kill('SIGKILL');
      })();
    },
  });
  expect(first.signal).toBe('SIGKILL');
  // A request in flight at the kill may still reach the journal: wait until it has been quiet a while.
  for (let quietSince = Date.now(), seen = simulator.journal().length; Date.now() - quietSince < 300; ) {
    await delay(25);
    if (simulator.journal().length !== seen) [seen, quietSince] = [simulator.journal().length, Date.now()];
  }
  const doneBefore = [...successfulDeactivations(simulator.journal()).keys()];
  expect(doneBefore.length).toBeGreaterThanOrEqual(8);
  expect(doneBefore.length).toBeLessThan(LEAVERS.length);

  const second = await cli(args(60_000));
  expect(second.code).toBe(0);
  const report = JSON.parse(second.stdout) as Report;
  await collect('second run report', second.stdout);

  // The second report is right about both halves.
  const outcomeOf = new Map(report.results.map((result) => [result.id, result.outcome]));
  expect(report.results).toHaveLength(LEAVERS.length);
  for (const leaver of LEAVERS) {
    expect(outcomeOf.get(leaver.id)).toBe(
      doneBefore.includes(leaver.id) ? 'already-deactivated' : 'deactivated',
    );
    expect(simulator.user(leaver.id)?.status).toBe('DEACTIVATED');
  }
  expect(report.summary).toMatchObject({
    deactivated: LEAVERS.length - doneBefore.length,
    'already-deactivated': doneBefore.length,
    blocked: 0,
    'not-found': 0,
    failed: 0,
  });

  // Nobody deactivated twice across both runs, and nobody else at all.
  const successes = successfulDeactivations(simulator.journal());
  expect([...successes.keys()].sort()).toEqual(LEAVERS.map((leaver) => leaver.id).sort());
  expect([...successes.values()].every((count) => count === 1)).toBe(true);
});

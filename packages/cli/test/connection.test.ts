import { type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { leaversOrg } from '@smartsheet-offboard/testkit/orgs';
import { runCli } from '@smartsheet-offboard/testkit/processes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'cli-connection-token-3e8a1b77c0';
const { leavers, seed } = leaversOrg(TOKEN, 1, 7000000000000000n);
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ seed, requestsPerMinute: Number.POSITIVE_INFINITY });
});

afterAll(async () => {
  await simulator.stop();
});

const plan = (...args: string[]) =>
  runCli(['plan', '--user-id', leavers[0]!.id, ...args], { env: { SMARTSHEET_ACCESS_TOKEN: TOKEN } });

describe('reaching Smartsheet', () => {
  it('a base URL without /2.0 is said to be wrong, not a missing user', async () => {
    const run = await plan('--base-url', simulator.url.replace(/\/2\.0\/?$/, '/'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not a Smartsheet API base URL');
    expect(run.stderr).toContain('end in /2.0');
    expect(run.stderr).not.toContain('ID or email');
  });

  it.each(['EU', 'Au', 'us'])('--region %s is taken in any case', async (region) => {
    // The base URL wins over the region, so the run still reaches the simulator.
    const run = await plan('--region', region, '--base-url', simulator.url);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('--region GOV is refused before any request, saying why', async () => {
    simulator.clearJournal();
    const run = await plan('--region', 'GOV');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Gov/);
    expect(simulator.journal()).toEqual([]);
  });
});

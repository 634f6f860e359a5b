import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { leaversOrg } from '@smartsheet-offboard/testkit/orgs';
import { runCli } from '@smartsheet-offboard/testkit/processes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'cli-interrupt-token-61b0e2f4a8';
const { leavers: LEAVERS, seed } = leaversOrg(TOKEN, 31, 5000000000000000n);

let dir: string;
let leaversFile: string;
let simulator: Simulator | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smartsheet-offboard-interrupt-'));
  leaversFile = join(dir, 'leavers.txt');
  await writeFile(leaversFile, `${LEAVERS.map((leaver) => leaver.id).join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

/** A slow Smartsheet: every deactivation is held back, so several are in flight when Ctrl-C comes. */
async function slowSimulator(slowMs: number, onFirstDeactivation: () => void): Promise<Simulator> {
  let seen = false;
  return startSimulator({
    seed,
    requestsPerMinute: Number.POSITIVE_INFINITY,
    faults: { rates: { slow: 1 }, slowMs, endpoints: ['deactivateUser'] },
    onRequest(entry) {
      if (entry.endpoint === 'deactivateUser' && !seen) {
        seen = true;
        onFirstDeactivation();
      }
    },
  });
}

function apply(url: string, onSpawn?: (child: ChildProcess) => void, requestsPerMinute = 6000) {
  return runCli(
    [
      'apply',
      '--yes',
      '--json',
      '--file',
      leaversFile,
      '--base-url',
      url,
      '--max-deactivations',
      '100',
      '--requests-per-minute',
      String(requestsPerMinute),
    ],
    { env: { SMARTSHEET_ACCESS_TOKEN: TOKEN }, onSpawn, timeoutMs: 30_000 },
  );
}

const deactivationsIn = (simulator: Simulator) =>
  simulator.journal().filter((entry) => entry.endpoint === 'deactivateUser');

describe('Ctrl-C during apply', () => {
  it('sends no deactivation after the signal: those waiting for their turn are reported interrupted', async () => {
    // Paced at 60 a minute, the changes leave a second apart while up to 8 wait in the client's queue.
    // Ctrl-C comes as the second deactivation is answered: nothing is in flight then, so every
    // deactivation Smartsheet sees after it would be one that should not have been sent.
    let child: ChildProcess | undefined;
    let atSignal: number | undefined;
    let signalledAt = 0;
    // Arrival times have millisecond resolution: the answered deactivation and the signal can share one.
    let signalledAfterSeq = 0;
    simulator = await startSimulator({
      seed,
      requestsPerMinute: Number.POSITIVE_INFINITY,
      onRequest(entry) {
        if (entry.endpoint !== 'deactivateUser' || atSignal !== undefined) return;
        if (deactivationsIn(simulator!).length === 2) {
          atSignal = 2;
          signalledAt = Date.now();
          signalledAfterSeq = entry.seq;
          child?.kill('SIGINT');
        }
      },
    });
    const result = await apply(
      simulator.url,
      (spawned) => {
        child = spawned;
      },
      60,
    );
    const exitedAfterMs = Date.now() - signalledAt;
    expect(result.code).toBe(130);
    expect(atSignal).toBe(2);
    const after = deactivationsIn(simulator).filter((entry) => entry.seq > signalledAfterSeq);
    expect(after).toEqual([]);
    expect(deactivationsIn(simulator)).toHaveLength(2);
    const report = JSON.parse(result.stdout);
    expect(report.summary).toMatchObject({ deactivated: 2, failed: LEAVERS.length - 2 });
    for (const item of report.results.filter((each: { outcome: string }) => each.outcome === 'failed')) {
      expect(item).toMatchObject({
        reason: 'interrupted',
        message: expect.stringMatching(/before the request was sent/),
      });
    }
    // The queued changes were dropped, not waited out (8 of them at a second each).
    expect(exitedAfterMs).toBeLessThan(6_000);
  }, 30_000);

  it('lets the deactivations in flight finish, reports, exits 130; running again finishes the rest once', async () => {
    let child: ChildProcess | undefined;
    simulator = await slowSimulator(300, () => child?.kill('SIGINT'));
    const first = await apply(simulator.url, (spawned) => {
      child = spawned;
    });

    expect(first.code).toBe(130);
    expect(first.stderr).toContain('Stopping: no new deactivations will be sent');
    expect(first.stderr).toContain('Run the same command again to finish the rest');
    const report = JSON.parse(first.stdout);
    const interrupted = report.results.filter(
      (result: { outcome: string; reason?: string }) =>
        result.outcome === 'failed' && result.reason === 'interrupted',
    );
    expect(report.summary.deactivated).toBeGreaterThan(0);
    expect(interrupted.length).toBeGreaterThan(0);
    expect(report.summary.deactivated + interrupted.length).toBe(LEAVERS.length);
    // What the report calls deactivated is exactly what Smartsheet did: the requests in flight finished.
    const done = () =>
      simulator!
        .journal()
        .filter((entry) => entry.endpoint === 'deactivateUser' && entry.status === 200)
        .map((entry) => entry.userId);
    expect(done()).toHaveLength(report.summary.deactivated);

    simulator.setFaults({});
    const second = await apply(simulator.url);
    expect(second.code).toBe(0);
    const rerun = JSON.parse(second.stdout);
    expect(rerun.summary).toMatchObject({
      deactivated: interrupted.length,
      'already-deactivated': report.summary.deactivated,
      failed: 0,
    });
    expect(new Set(done()).size).toBe(LEAVERS.length);
    expect(done()).toHaveLength(LEAVERS.length);
    for (const leaver of LEAVERS) expect(simulator.user(leaver.id)?.status).toBe('DEACTIVATED');
  });

  it('a second Ctrl-C quits at once, without waiting for a request in flight', async () => {
    let child: ChildProcess | undefined;
    let interrupted = false;
    let secondInterrupt: number | undefined;
    simulator = await startSimulator({
      seed,
      requestsPerMinute: Number.POSITIVE_INFINITY,
      faults: { slowMs: 20_000 },
      onRequest(entry) {
        if (entry.endpoint !== 'deactivateUser' || interrupted) return;
        // The first deactivation is held back for 20 s; once another one is answered, interrupt.
        interrupted = true;
        child?.kill('SIGINT');
      },
    });
    simulator.failNext({ fault: 'slow', endpoint: 'deactivateUser' });
    const result = await apply(simulator.url, (spawned) => {
      child = spawned;
      // The second Ctrl-C once the first one has been taken in, so the two cannot merge into one signal.
      let stderr = '';
      spawned.stderr?.on('data', (chunk: string) => {
        stderr += chunk;
        if (secondInterrupt === undefined && stderr.includes('Press Ctrl-C again to quit at once')) {
          secondInterrupt = Date.now();
          spawned.kill('SIGINT');
        }
      });
    });
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Stopping: no new deactivations will be sent');
    // At once: far sooner than the 20 s the deactivation in flight is held back.
    expect(Date.now() - secondInterrupt!).toBeLessThan(10_000);
  });
});

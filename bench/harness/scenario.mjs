// One offboarding job against a fresh simulator, measured from the simulator's own journal.

import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { offboardWithOurs } from './ours.mjs';
import { offboardWithSdk } from './sdk.mjs';

/** Smartsheet's documented limit per access token. */
export const SMARTSHEET_REQUESTS_PER_MINUTE = 300;
/** Largest page of `GET /users`: reading the whole org costs `orgSize / 2000` requests. */
const MAX_PAGE_SIZE = 2000;

export const ADMIN_ID = '1234567890123001';
// 16-digit IDs below 2^53, so the SDK (which reads IDs as JavaScript numbers) is compared on pacing
// and retries; `largeIds` starts next to the ID of Smartsheet's own examples, above 2^53, instead.
export const FIRST_USER_ID = 2_345_678_901_234_567n;
const FIRST_LARGE_USER_ID = 48_569_348_493_401_201n;
export const USER_ID_STEP = 7919n;
export const DOMAIN = 'example.com';

export const TOOLS = {
  ours: { label: 'smartsheet-offboard', run: offboardWithOurs },
  sdk: { label: 'smartsheet SDK 5.3.0', run: offboardWithSdk },
};

/** The email of the `index`-th generated user (0-based), as the simulator writes it. */
function generatedEmail(index, orgSize) {
  return `user${String(index + 1).padStart(String(orgSize).length, '0')}@${DOMAIN}`;
}

function generatedId(index, firstId) {
  return (firstId + USER_ID_STEP * BigInt(index)).toString();
}

/** Targets spread evenly over the org, so neither tool benefits from them sitting on one page. */
export function pickTargets(orgSize, count, firstId) {
  const stride = orgSize / count;
  return Array.from({ length: count }, (_, i) => {
    const index = Math.floor(i * stride);
    return { id: generatedId(index, firstId), email: generatedEmail(index, orgSize) };
  });
}

/**
 * The requests Smartsheet strictly needs for the job: one deactivation per target, plus reading the
 * org once at the largest page size (cheaper than any email lookup at these sizes).
 */
export function floorRequests(orgSize, targets) {
  return targets + Math.ceil(orgSize / MAX_PAGE_SIZE);
}

/**
 * The time scale that makes the job's floor last about `floorSeconds` of real time. Scaling speeds
 * up waiting, not computing: every real millisecond of CPU counts `scale` simulated milliseconds, so
 * a moderate scale keeps both tools' CPU time from weighing more than it would against the real API.
 */
export function timeScaleFor(floorMinutesOfJob, floorSeconds) {
  return Math.min(200, Math.max(1, Math.round((floorMinutesOfJob * 60) / floorSeconds)));
}

/**
 * @param {object} job
 * @param {'ours'|'sdk'} job.tool
 * @param {number} job.orgSize
 * @param {number} job.targets
 * @param {number} job.floorSeconds  real seconds the job's floor should last (sets the time scale)
 * @param {number} job.latencyMs  simulated milliseconds added to every answer, as the real API's round trip
 * @param {number} [job.requestsPerMinute]
 * @param {{ serverErrorRate: number, storm?: { atFloorFraction: number, seconds: number } }} [job.faults]
 * @param {boolean} [job.largeIds]  user IDs above 2^53
 */
export async function runJob({
  tool,
  orgSize,
  targets: targetCount,
  floorSeconds,
  latencyMs,
  requestsPerMinute = SMARTSHEET_REQUESTS_PER_MINUTE,
  faults,
  largeIds = false,
}) {
  const firstId = largeIds ? FIRST_LARGE_USER_ID : FIRST_USER_ID;
  const token = `bench-${randomBytes(12).toString('hex')}`;
  const targets = pickTargets(orgSize, targetCount, firstId);
  const floorMinutes = floorRequests(orgSize, targetCount) / requestsPerMinute;
  const timeScale = timeScaleFor(floorMinutes, floorSeconds);
  const errorRate = faults?.serverErrorRate ?? 0;
  const simulator = await startSimulatorProcess({
    seed: {
      planDomains: [DOMAIN],
      tokens: { [token]: ADMIN_ID },
      users: [{ id: ADMIN_ID, email: `it.admin@${DOMAIN}`, firstName: 'IT', lastName: 'Admin', admin: true }],
      generated: { count: orgSize, domain: DOMAIN, idStart: firstId, idStep: USER_ID_STEP },
    },
    requestsPerMinute,
    timeScale,
    faults: {
      seed: `bench-${tool}-${targetCount}`,
      // Every answer not replaced by an error is held back by the round-trip latency (the
      // simulator's `slow` fault), split evenly over Smartsheet's transient server errors.
      rates: {
        slow: 1 - errorRate,
        4001: errorRate / 3,
        4002: errorRate / 3,
        4004: errorRate / 3,
      },
      slowMs: latencyMs / timeScale,
      storms: faults?.storm
        ? [
            {
              startMs: (faults.storm.atFloorFraction * floorMinutes * 60_000) / timeScale,
              durationMs: (faults.storm.seconds * 1000) / timeScale,
              status: 429,
            },
          ]
        : [],
    },
  });
  try {
    const start = performance.now();
    const outcome = await TOOLS[tool].run({
      baseUrl: simulator.url,
      token,
      emails: targets.map((t) => t.email),
      timeScale,
      requestsPerMinute,
    });
    const wallMs = performance.now() - start;
    return {
      tool,
      orgSize,
      targets: targetCount,
      requestsPerMinute,
      timeScale,
      wallMs,
      simulatedMinutes: (wallMs * timeScale) / 60_000,
      floorMinutes,
      outcome,
      ...(await simulator.audit(targets)),
    };
  } finally {
    await simulator.stop();
  }
}

const SIMULATOR_PROCESS = fileURLToPath(new URL('./simulator-process.mjs', import.meta.url));

/**
 * Starts the simulator in a process of its own, as the real API is on another machine: the tool
 * under test then has the bench process to itself, and the server's work is not counted as the tool's.
 */
export async function startSimulatorProcess(options) {
  // `advanced` serialisation carries the bigint IDs of the seed.
  const child = fork(SIMULATOR_PROCESS, {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const ask = (message) =>
    new Promise((resolve, reject) => {
      const onExit = (code) =>
        reject(new Error(`the simulator process exited (${code}) before answering ${message.type}`));
      child.once('exit', onExit);
      child.once('message', (reply) => {
        child.off('exit', onExit);
        if (reply.error) reject(new Error(reply.error));
        else resolve(reply);
      });
      child.send(message);
    });
  const { url } = await ask({ type: 'start', options });
  return {
    url,
    audit: async (targets) => (await ask({ type: 'audit', targets })).audit,
    stop: async () => {
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

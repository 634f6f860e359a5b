// This project: core's offboard(), the same entry the CLI and the action call, in apply mode.
import { setTimeout as delay, setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { offboard } from '@smartsheet-offboard/core';

/**
 * Node's timers fire up to about a millisecond late: nothing against a real 200 ms pacing interval,
 * but on a clock running 50 times faster that millisecond would count as 50. This sleep lands within
 * a fraction of a millisecond of its deadline, as a timer does relative to the real clock.
 */
async function preciseSleep(ms, signal) {
  const deadline = performance.now() + ms;
  if (ms > 2) await delay(ms - 2, undefined, { signal });
  while (performance.now() < deadline) {
    signal?.throwIfAborted();
    await yieldToEventLoop();
  }
}

/**
 * Runs `offboard()` on simulated time: the client's clock runs `timeScale` times faster and its
 * sleeps are that much shorter, exactly like the simulator's minute, so its pacing stays at
 * Smartsheet's real 300 requests per minute and its backoffs keep their real proportions.
 */
export async function offboardWithOurs({ baseUrl, token, emails, timeScale, requestsPerMinute }) {
  const { report } = await offboard({
    mode: 'apply',
    inputs: { emails },
    connection: {
      token,
      baseUrl,
      requestsPerMinute,
      now: () => performance.now() * timeScale,
      sleep: (ms, signal) => preciseSleep(ms / timeScale, signal),
    },
    planOptions: { maxDeactivations: emails.length },
  });
  const failures = report.results.filter((r) => r.outcome !== 'deactivated');
  return { deactivated: report.summary.deactivated ?? 0, failures, report };
}

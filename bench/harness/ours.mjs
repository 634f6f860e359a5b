// This project: core's offboard(), the same entry the CLI and the action call, in apply mode.
import { setTimeout as delay } from 'node:timers/promises';
import { offboard } from '@smartsheet-offboard/core';

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
      sleep: (ms, signal) => delay(ms / timeScale, undefined, { signal }),
    },
    planOptions: { maxDeactivations: emails.length },
  });
  const failures = report.results.filter((r) => r.outcome !== 'deactivated');
  return { deactivated: report.summary.deactivated ?? 0, failures, report };
}

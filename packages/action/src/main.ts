import * as core from '@actions/core';
import { clockOverride, readEnvironment } from './event.js';
import { createGitHubApi, githubTimeoutSeconds } from './github-client.js';
import { readInputs } from './inputs.js';
import { setSafeOutputs } from './publish.js';
import { run as offboardRun } from './run.js';

/**
 * The action, as the runner (through `index.ts`) or `@github/local-action` starts it: read inputs (masking
 * tokens first), run, and fail at most once. Importing this module does nothing.
 */
export async function run(): Promise<void> {
  try {
    // Constant values, nothing secret: set before the inputs are read so an invalid input still leaves them valid.
    setSafeOutputs(core);
    const inputs = readInputs();
    const environment = await readEnvironment();
    const now = clockOverride();
    if (now)
      core.warning(`The clock is set to ${now.toISOString()} by SMARTSHEET_OFFBOARD_NOW (meant for tests).`);
    const controller = new AbortController();
    // A cancelled workflow gets SIGINT: stop starting deactivations and still report what was done.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
    const { signal } = controller;
    const github = inputs.githubToken
      ? createGitHubApi(inputs.githubToken, environment.repository, {
          signal,
          timeoutSeconds: githubTimeoutSeconds(),
          log: core.info,
        })
      : undefined;
    const { failure } = await offboardRun(inputs, {
      environment,
      github,
      signal,
      ...(now ? { now } : {}),
      reporter: {
        info: core.info,
        notice: core.notice,
        warning: core.warning,
        error: core.error,
        setOutput: core.setOutput,
        writeSummary: async (markdown) => {
          await core.summary.addRaw(markdown).write();
        },
      },
    });
    if (failure !== undefined) core.setFailed(failure);
    // Reported: leave now, not when the last abandoned retry timer fires (the runner kills a cancelled job
    // ten seconds after its SIGINT).
    if (signal.aborted) process.exit();
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

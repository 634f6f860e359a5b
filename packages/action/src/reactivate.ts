import {
  type ClientOptions,
  describeResult,
  exitCodeFor,
  type OffboardResult,
  offboard,
  PROBLEM_OUTCOMES,
} from '@smartsheet-offboard/core';
import type { ActionEnvironment } from './event.js';
import { ACTION_LABELS, type ActionInputs } from './inputs.js';
import { errorText, publish, type Reporter } from './publish.js';
import { escapeMessage, type RenderInput } from './render.js';

export interface ReactivateDependencies {
  environment: ActionEnvironment;
  reporter: Reporter;
  signal?: AbortSignal;
  /** The Smartsheet connection for the run (called only once a token is known to be there). */
  connect: () => ClientOptions;
}

/**
 * The rollback (`mode: reactivate`): reactivates the users named by `user-ids` and `emails`, through the
 * same protected workflow and token as every deactivation rather than an admin's personal token. Only on
 * `workflow_dispatch`: undoing an offboarding is a deliberate act of someone who may run the workflow,
 * never a side effect of a push or a review. `dry-run` shows what it would do. Smartsheet reactivates only
 * within its window after a deactivation; a user past it ends `blocked`/`reactivation-window`, each user on
 * its own, and the run fails after reporting every one.
 */
export async function runReactivate(
  inputs: ActionInputs,
  deps: ReactivateDependencies,
): Promise<{ report?: OffboardResult['report']; failure?: string }> {
  const { environment, reporter } = deps;
  const { owner, repo } = environment.repository;
  const mode: RenderInput['mode'] = inputs.dryRun ? 'reactivate-plan' : 'reactivate';
  const base = {
    maxDeactivations: inputs.maxDeactivations,
    links: { serverUrl: environment.serverUrl, owner, repo, sha: environment.sha },
    runUrl: `${environment.serverUrl}/${owner}/${repo}/actions/runs/${environment.runId}`,
  };
  const notes: string[] = [];
  const finish = async (render: RenderInput, failure?: string) => {
    await publish([{ render }], inputs, deps);
    return { report: render.report, failure };
  };
  const refuse = (message: string) =>
    finish(
      { ...base, mode, notes: [...notes, `**Refused:** ${escapeMessage(message)}`], failed: true },
      message,
    );

  if (environment.eventName !== 'workflow_dispatch') {
    return refuse(
      `mode reactivate runs only on workflow_dispatch (this run is on ${environment.eventName || '(no event)'}): ` +
        'a rollback is started by hand from the protected workflow. Nothing was changed.',
    );
  }
  if (inputs.userIds.length + inputs.emails.length === 0) {
    return refuse(
      'Give user-ids or emails: mode reactivate reactivates exactly the users named there. Nothing was changed.',
    );
  }
  if (!inputs.smartsheetToken) {
    return refuse(
      "Input 'smartsheet-token' is empty: a Smartsheet token is needed to reactivate. Nothing was changed.",
    );
  }
  if (inputs.manifestPaths) {
    notes.push('manifest-paths is not read by mode reactivate: only user-ids and emails are reactivated.');
  }

  let result: OffboardResult;
  try {
    result = await offboard({
      mode: inputs.dryRun ? 'plan' : 'reactivate',
      inputs: {
        userIds: inputs.userIds,
        emails: inputs.emails,
      },
      labels: ACTION_LABELS,
      connection: deps.connect(),
      planOptions: {
        operation: 'reactivate',
        planDomains: inputs.planDomains,
        extraIspDomains: inputs.extraIspDomains,
        protectedUsers: inputs.protectedUsers,
        allowAdmins: inputs.allowAdmins,
        maxDeactivations: inputs.maxDeactivations,
      },
      signal: deps.signal,
      onResult: (entry) => reporter.info(describeResult(entry)),
    });
  } catch (error) {
    const message = `The run stopped: ${errorText(error)}`;
    return finish(
      { ...base, mode, notes: [...notes, `**${escapeMessage(message)}**`], failed: true },
      message,
    );
  }
  const { report } = result;
  if (inputs.dryRun) notes.push('Dry run: nobody was reactivated. Run again without dry-run to reactivate.');
  if (result.stoppedBecause === 'over-limit') {
    notes.push(
      `**The plan exceeds max-deactivations (${inputs.maxDeactivations}), which also caps reactivations: ` +
        'nobody was reactivated.** Reactivate fewer users per run or raise the input.',
    );
  }
  const failure = failureMessage(result, inputs.dryRun);
  return finish(
    {
      ...base,
      mode,
      report,
      notes,
      failed: failure !== undefined,
      maxDeactivations: result.plan?.maxDeactivations ?? inputs.maxDeactivations,
    },
    failure,
  );
}

function failureMessage(result: OffboardResult, dryRun: boolean): string | undefined {
  const { report } = result;
  if (result.stoppedBecause === 'invalid') {
    const count = report.findings?.length ?? 0;
    return `${count} ${count === 1 ? 'problem' : 'problems'} in the user-ids or emails inputs; nothing was requested from Smartsheet.`;
  }
  if (exitCodeFor(report) === 0) return undefined;
  const counts = [...PROBLEM_OUTCOMES]
    .map((outcome) => [outcome, report.results.filter((r) => r.outcome === outcome).length] as const)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome}`);
  return `Some users ${dryRun ? 'would not end' : 'did not end'} reactivated (${counts.join(', ')}); see the annotations and the job summary.`;
}

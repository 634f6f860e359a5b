import {
  describeResult,
  describeRetry,
  offboard,
  type Report,
  type RetryEvent,
} from '@smartsheet-offboard/core';
import { type ActionEnvironment, type Trigger, triggerFor } from './event.js';
import { type GateVerdict, passGate } from './gate.js';
import type { GitHubApi, PullRequestInfo } from './github.js';
import { ACTION_LABELS, type ActionInputs, DEFAULT_MANIFEST_PATHS } from './inputs.js';
import { type Offboarded, offboardOutcome, refusalOutcome } from './outcome.js';
import { errorText, publish, type Reporter, setSafeOutputs } from './publish.js';
import { runReactivate } from './reactivate.js';
import { escapeText } from './render.js';
import { findSources, type Sources } from './sources.js';

export interface RunDependencies {
  environment: ActionEnvironment;
  /** Absent when `github-token` is empty. */
  github?: GitHubApi;
  reporter: Reporter;
  /** Aborted when the workflow is cancelled: no new deactivation starts, and the report says so. */
  signal?: AbortSignal;
  /** The moment leave dates (`deactivate-on`) are compared with; the clock when absent. */
  now?: Date;
}

/** How the run ended: `failure` is the one message for `core.setFailed`. */
export interface RunResult {
  report?: Report;
  failure?: string;
}

/**
 * One run of the action, as a pipeline: the sources the event names, the gate (approvals, what reviewers
 * saw), core's plan or apply, the outcome, and publishing it (annotations, outputs, job summary, pull
 * request comment) before returning the single failure message, if any.
 */
export async function run(inputs: ActionInputs, deps: RunDependencies): Promise<RunResult> {
  const { reporter, environment } = deps;
  setSafeOutputs(reporter);
  if (inputs.mode === 'reactivate') {
    return runReactivate(inputs, { ...deps, connect: () => connection(inputs, deps, undefined) });
  }

  const trigger = dryRun(triggerFor(environment, inputs.mode), inputs);
  const globs = inputs.manifestPaths ?? DEFAULT_MANIFEST_PATHS;
  const sources = await findSources(trigger, inputs, deps, globs);
  const sourceNotes = warnAboutLookAlikes(sources, globs, reporter);
  const gate = await passGate(trigger, sources, inputs, deps.github, (message) => reporter.info(message));
  if (gate.verdict === 'nothing-to-do') {
    reporter.notice(gate.notice);
    return {};
  }

  const { owner, repo } = environment.repository;
  const context = {
    trigger,
    sources,
    maxDeactivations: inputs.maxDeactivations,
    links: { serverUrl: environment.serverUrl, owner, repo, sha: sources.sha },
    runUrl: `${environment.serverUrl}/${owner}/${repo}/actions/runs/${environment.runId}`,
    notes: sourceNotes,
  };
  const outcome =
    gate.verdict === 'refuse'
      ? refusalOutcome(context, gate)
      : offboardOutcome(context, gate, await offboardSources(gate, sources, inputs, deps));
  if ('nothingToDo' in outcome) {
    reporter.notice(outcome.nothingToDo);
    return {};
  }

  await publish({ render: outcome.render, pullRequest: sources.pullRequest }, inputs, deps);
  return { report: outcome.render.report, failure: outcome.failure };
}

/** `dry-run` makes any apply a plan: the run then changes nothing, whatever the event. */
function dryRun(trigger: Trigger, inputs: ActionInputs): Trigger {
  return inputs.dryRun && trigger.mode === 'apply' ? { ...trigger, mode: 'plan' } : trigger;
}

/** A warning on each changed file that matches `manifest-paths` only when case is ignored, and the note. */
function warnAboutLookAlikes(sources: Sources, globs: readonly string[], reporter: Reporter): string[] {
  const lookAlikes = sources.lookAlikes ?? [];
  if (lookAlikes.length === 0) return [];
  const message =
    `Not read: ${lookAlikes.join(', ')} (matches manifest-paths ${globs.join(', ')} only when case ` +
    'is ignored, and globs are case-sensitive). Rename the file if it names people to offboard.';
  for (const file of lookAlikes) reporter.warning(message, { title: 'Offboarding file not read', file });
  return [`**${escapeText(message, 2000)}**`];
}

/** Core validates, plans and (for an apply) deactivates; each result is logged as it comes. */
async function offboardSources(
  gate: Extract<GateVerdict, { verdict: 'pass' }>,
  sources: Sources,
  inputs: ActionInputs,
  deps: RunDependencies,
): Promise<Offboarded> {
  const { reporter } = deps;
  const reviewed = gate.shown.reviewed;
  let planMatchesReview = false;
  let planChange: string | undefined;
  try {
    const result = await offboard({
      mode: gate.mode,
      files: sources.files,
      inputs: {
        userIds: inputs.userIds,
        emails: inputs.emails,
      },
      labels: ACTION_LABELS,
      connection: inputs.smartsheetToken ? connection(inputs, deps, sources.pullRequest) : undefined,
      planOptions: {
        planDomains: inputs.planDomains,
        extraIspDomains: inputs.extraIspDomains,
        protectedUsers: inputs.protectedUsers,
        allowAdmins: inputs.allowAdmins,
        allowChildOrganizations: inputs.allowChildOrganizations,
        maxDeactivations: inputs.maxDeactivations,
        now: deps.now,
      },
      signal: deps.signal,
      onPlan: (plan) => {
        for (const warning of plan.warnings ?? [])
          reporter.warning(warning, { title: 'Smartsheet user list' });
        // Smartsheet may legitimately change between review and merge (someone deactivated by hand): the
        // plan of this moment is applied, never the reviewed one, but the difference must not go unseen.
        // A re-run after an apply of the reviewed plan finds that apply's own changes done: still no drift.
        planMatchesReview = plan.digest === reviewed || plan.digest === gate.shown.settled;
        if (reviewed === undefined || planMatchesReview) return;
        planChange =
          `The plan changed since it was reviewed: the pull request comment showed plan digest ${reviewed}, ` +
          `the plan applied now is ${plan.digest}. Only the decisions of the current plan are applied; the job ` +
          'summary and the pull request comment show them.';
        reporter.warning(planChange, { title: 'Plan changed since it was reviewed' });
      },
      onResult: (entry) => reporter.info(describeResult(entry)),
    });
    return { result, planMatchesReview, planChange };
  } catch (error) {
    return { stopped: `The run stopped: ${errorText(error)}`, planChange };
  }
}

/** Smartsheet connection settings, with headers that let Smartsheet's records say where a change came from. */
function connection(inputs: ActionInputs, deps: RunDependencies, pr: PullRequestInfo | undefined) {
  const { owner, repo } = deps.environment.repository;
  const { runId, runAttempt } = deps.environment;
  return {
    token: inputs.smartsheetToken!,
    // A slow run says why in the log: "Retrying GET /users in 2.0 s (try 2; …): … HTTP 502 …".
    onRetry: (event: RetryEvent) => deps.reporter.info(describeRetry(event)),
    region: inputs.region,
    baseUrl: inputs.apiBaseUrl,
    requestsPerMinute: inputs.requestsPerMinute,
    integrationSource:
      inputs.integrationSource ?? `SCRIPT,${owner.replace(/,/g, '') || 'github'},smartsheet-offboard`,
    changeAgent: [
      `smartsheet-offboard-action ${owner}/${repo}`,
      pr ? `pr#${pr.number}` : undefined,
      `run ${runId}/${runAttempt}`,
    ]
      .filter((part) => part !== undefined)
      .join(' '),
  };
}

import {
  describeResult,
  describeRetry,
  encodeReviewedPlan,
  offboard,
  type Report,
  type RetryEvent,
  settledPlanDigest,
  withApplied,
} from '@smartsheet-offboard/core';
import { type ActionEnvironment, type Trigger, triggerFor } from './event.js';
import { type GateVerdict, passGate, type Unit } from './gate.js';
import type { GitHubApi, PullRequestInfo } from './github.js';
import { ACTION_LABELS, type ActionInputs, DEFAULT_MANIFEST_PATHS, deactivationRules } from './inputs.js';
import {
  type Offboarded,
  type OutcomeContext,
  offboardOutcome,
  refusalOutcome,
  type UnitOutcome,
} from './outcome.js';
import {
  errorText,
  escapingLogs,
  type Publication,
  publish,
  type Reporter,
  setSafeOutputs,
} from './publish.js';
import { runReactivate } from './reactivate.js';
import { runReconcile } from './reconcile.js';
import { escapeText } from './render.js';
import { type CommentMarkers, recordToWrite } from './reviewed-plan.js';
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
 * One run of the action, as a pipeline: the sources the event names (pull requests and their changes),
 * the gate (approvals, what reviewers saw), core's plan or apply of each unit, the outcomes, and
 * publishing them (annotations, outputs, job summary, pull request comments) before returning the single
 * failure message, if any.
 */
export async function run(inputs: ActionInputs, dependencies: RunDependencies): Promise<RunResult> {
  const deps = { ...dependencies, reporter: escapingLogs(dependencies.reporter) };
  const { reporter, environment } = deps;
  setSafeOutputs(reporter);
  if (inputs.mode === 'reactivate') {
    return runReactivate(inputs, { ...deps, connect: () => connection(inputs, deps, undefined) });
  }
  // A timer has no change to plan or apply: every scheduled run reconciles (`mode: plan` as a dry run).
  if (inputs.mode === 'reconcile' || environment.eventName === 'schedule') {
    return runReconcile(
      { ...inputs, dryRun: inputs.dryRun || inputs.mode === 'plan' },
      { ...deps, connect: () => connection(inputs, deps, undefined) },
    );
  }

  const trigger = dryRun(triggerFor(environment, inputs.mode), inputs);
  const globs = inputs.manifestPaths ?? DEFAULT_MANIFEST_PATHS;
  const { owner, repo } = environment.repository;
  let sources: Sources;
  let gate: GateVerdict;
  try {
    sources = await findSources(trigger, inputs, deps, globs);
    gate = await passGate(trigger, sources, inputs, deps.github, `${owner}/${repo}`);
  } catch (error) {
    // GitHub failing (or a file that cannot be read) before anything was asked of Smartsheet: a refusal,
    // shown in the job summary like any other, not only in the log.
    const message = `The run stopped before any change: ${errorText(error)}`;
    sources = { kind: 'refusal', message, pullRequests: [], sha: environment.sha };
    gate = { verdict: 'refuse', message, notes: [], pullRequests: [], sha: environment.sha };
  }
  const sourceNotes = warnAboutLookAlikes(sources, globs, reporter);
  if (gate.verdict === 'nothing-to-do') {
    reporter.notice(gate.notice);
    return {};
  }

  const context = (pullRequest: Unit['pullRequest'], sha: string, notes: string[]): OutcomeContext => ({
    mode: gate.verdict === 'pass' ? gate.mode : trigger.mode,
    asked: trigger.mode,
    pullRequest,
    maxDeactivations: inputs.maxDeactivations,
    links: { serverUrl: environment.serverUrl, owner, repo, sha },
    runUrl: `${environment.serverUrl}/${owner}/${repo}/actions/runs/${environment.runId}`,
    notes: [...sourceNotes, ...notes],
  });
  const outcomes: (UnitOutcome & { pullRequest?: Unit['pullRequest'] })[] = [];
  if (gate.verdict === 'refuse') {
    const told = gate.pullRequests.length > 0 ? gate.pullRequests : [{ pr: undefined, markers: {} }];
    for (const { pr, markers } of told) {
      const outcome = refusalOutcome(context(pr, pr?.headSha ?? gate.sha, gate.notes), gate.message, markers);
      outcomes.push({ ...outcome, pullRequest: pr });
    }
  } else {
    for (const unit of gate.units) {
      const offboarded = await offboardUnit(unit, gate.mode, inputs, deps);
      outcomes.push({
        ...offboardOutcome(context(unit.pullRequest, unit.sha, unit.notes), offboarded),
        pullRequest: unit.pullRequest,
      });
    }
  }

  const shown = outcomes.flatMap((outcome): (Publication & { failure?: string })[] =>
    'render' in outcome
      ? [{ render: outcome.render, pullRequest: outcome.pullRequest, failure: outcome.failure }]
      : [],
  );
  if (shown.length === 0) {
    for (const outcome of outcomes) if ('nothingToDo' in outcome) reporter.notice(outcome.nothingToDo);
    return {};
  }
  const published = await publish(shown, inputs, deps);
  const failures = [
    ...new Set([
      ...shown.flatMap((outcome) => (outcome.failure ? [outcome.failure] : [])),
      ...published.failures,
    ]),
  ];
  const reports = shown.flatMap((outcome) => (outcome.render.report ? [outcome.render.report] : []));
  return {
    report: reports.length === 1 ? reports[0] : undefined,
    failure: failures.length > 0 ? failures.join(' ') : undefined,
  };
}

/** `dry-run` makes any apply a plan: the run then changes nothing, whatever the event. */
function dryRun(trigger: Trigger, inputs: ActionInputs): Trigger {
  return inputs.dryRun && trigger.mode === 'apply' ? { ...trigger, mode: 'plan' } : trigger;
}

/** A warning on each changed file that matches `manifest-paths` only when case is ignored, and the note. */
function warnAboutLookAlikes(sources: Sources, globs: readonly string[], reporter: Reporter): string[] {
  const lookAlikes =
    sources.kind === 'nothing-to-do'
      ? sources.lookAlikes
      : sources.kind === 'pull-requests'
        ? sources.changes.flatMap((change) => change.lookAlikes)
        : [];
  if (lookAlikes.length === 0) return [];
  const message =
    `Not read: ${lookAlikes.join(', ')} (matches manifest-paths ${globs.join(', ')} only when case ` +
    'is ignored, and globs are case-sensitive). Rename the file if it names people to offboard.';
  for (const file of lookAlikes) reporter.warning(message, { title: 'Offboarding file not read', file });
  return [`**${escapeText(message, 2000)}**`];
}

/**
 * Core validates, plans and (for an apply) deactivates one unit; each result is logged as it comes. A
 * plan records what reviewers see; an apply is held to that record and carries it forward.
 */
async function offboardUnit(
  unit: Unit,
  mode: 'validate' | 'plan' | 'apply',
  inputs: ActionInputs,
  deps: RunDependencies,
): Promise<Offboarded> {
  const { reporter } = deps;
  const { pullRequest: pr, reviewed } = unit;
  const notes: string[] = [];
  let markers: CommentMarkers = { ...(reviewed.markers.record ? { record: reviewed.markers.record } : {}) };
  const reviewedDigest = reviewed.record?.planDigest;
  let planMatchesReview = false;
  try {
    const result = await offboard({
      mode,
      files: unit.files,
      ...(unit.baseFiles ? { baseFiles: unit.baseFiles } : {}),
      inputs: unit.withInputs ? { userIds: inputs.userIds, emails: inputs.emails } : undefined,
      labels: ACTION_LABELS,
      connection: inputs.smartsheetToken ? connection(inputs, deps, unit.pullRequest) : undefined,
      planOptions: {
        ...deactivationRules(inputs),
        now: deps.now,
        ...(mode === 'apply' && reviewed.record ? { reviewedPlan: reviewed.record } : {}),
      },
      signal: deps.signal,
      onPlan: (plan) => {
        for (const warning of plan.warnings ?? [])
          reporter.warning(warning, { title: 'Smartsheet user list' });
        if (mode !== 'apply') return;
        // Reviewed users are bound (a different one is `not-reviewed`); a status that changed since review
        // (someone deactivated by hand) is applied as it is now, but must not go unseen. A re-run after an
        // apply of the reviewed plan finds that apply's own changes done: no change.
        planMatchesReview = plan.digest === reviewedDigest || plan.digest === reviewed.markers.settled;
        if (reviewedDigest === undefined || planMatchesReview) return;
        const message =
          `The plan changed since it was reviewed: the reviewed plan had digest ${reviewedDigest}, the plan ` +
          `applied now is ${plan.digest}. Only the decisions of the current plan are applied, and only to the ` +
          'users reviewers saw; the job summary and the pull request comment show them.';
        reporter.warning(message, { title: 'Plan changed since it was reviewed' });
        notes.push(`**${escapeText(message, 2000)}**`);
      },
      onResult: (entry) => reporter.info(describeResult(entry)),
    });
    if (mode === 'plan' && pr && result.plan && inputs.smartsheetToken) {
      const { owner, repo } = deps.environment.repository;
      const written = recordToWrite(
        result.plan,
        { scope: `${owner}/${repo}`, change: pr.number, commit: pr.headSha },
        reviewed,
        inputs.smartsheetToken,
      );
      // What a complete apply of the reviewed plan leaves: a re-run after such an apply whose own comment
      // update failed then finds the reviewed plan carried out, not changed.
      const settled = written.kept ? reviewed.markers.settled : settledPlanDigest(result.plan);
      markers = { record: written.encoded, ...(settled ? { settled } : {}) };
      if (written.kept) {
        const message =
          `Some entries resolve to other users than when commit ${pr.headSha.slice(0, 7)} was first planned: the ` +
          'first plan of this commit stays the reviewed one, so an apply holds those entries as not-reviewed. ' +
          'Push a commit to plan again and have it approved.';
        reporter.warning(message, { title: 'Plan changed since this commit was first planned' });
        notes.push(`**${escapeText(message, 2000)}**`);
      }
    }
    if (mode === 'apply' && planMatchesReview && result.plan) {
      markers = { ...markers, settled: settledPlanDigest(result.plan, result.report) };
    }
    // The record of applies, in the same authenticated record: what a reconcile run needs to tell an entry
    // never applied (catch up) from a user applied and reactivated since (drift).
    if (mode === 'apply' && reviewed.record && inputs.smartsheetToken) {
      const applied = withApplied(reviewed.record, result.report, deps.now ?? new Date());
      if (applied !== reviewed.record)
        markers = { ...markers, record: encodeReviewedPlan(applied, inputs.smartsheetToken) };
    }
    return { result, notes, markers };
  } catch (error) {
    return { stopped: `The run stopped: ${errorText(error)}`, notes, markers };
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

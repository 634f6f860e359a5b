import {
  type ClientOptions,
  describeResult,
  encodeReviewedPlan,
  type OffboardingFileVersion,
  type OffboardResult,
  offboard,
  withApplied,
} from '@smartsheet-offboard/core';
import picomatch from 'picomatch';
import { keepDriftIssue } from './drift-issue.js';
import type { ActionEnvironment } from './event.js';
import { type GitHubApi, shortSha } from './github.js';
import { ACTION_LABELS, type ActionInputs, DEFAULT_MANIFEST_PATHS, deactivationRules } from './inputs.js';
import { type OutcomeContext, offboardOutcome } from './outcome.js';
import { ProvenanceTracer } from './provenance.js';
import { errorText, publish, type Reporter } from './publish.js';
import { escapeMessage, escapeText, type RenderInput } from './render.js';
import { rewriteRecord } from './reviewed-plan.js';

export interface ReconcileDependencies {
  environment: ActionEnvironment;
  github?: GitHubApi;
  reporter: Reporter;
  signal?: AbortSignal;
  now?: Date;
  connect: () => ClientOptions;
}

/** Where a reconcile run may start: on a timer, or by hand. */
const RECONCILE_EVENTS = new Set(['schedule', 'workflow_dispatch']);

/**
 * A reconcile run (`schedule`, or `workflow_dispatch` with `mode: reconcile`): the offboarding files of the
 * default branch are the desired state. Every entry that would deactivate someone now (due, and not yet
 * deactivated) is applied only when its provenance holds: the merged pull request that added it passes the
 * approval rules and its authenticated reviewed plan binds the user. So an apply that was cancelled, failed
 * or never ran is caught up, a leave date that has come is honoured, and an entry pushed without review is
 * refused (the run fails). A user an apply deactivated who is active again is drift, handled by `drift`.
 * The safety cap covers what the run would really do; over it, the run changes nobody.
 */
export async function runReconcile(
  inputs: ActionInputs,
  deps: ReconcileDependencies,
): Promise<{ report?: OffboardResult['report']; failure?: string }> {
  const { environment, reporter } = deps;
  const { owner, repo } = environment.repository;
  const mode: RenderInput['mode'] = inputs.dryRun ? 'reconcile-plan' : 'reconcile';
  const runUrl = `${environment.serverUrl}/${owner}/${repo}/actions/runs/${environment.runId}`;
  const notes: string[] = [];
  let sha = environment.sha;
  const base = () => ({
    maxDeactivations: inputs.maxDeactivations,
    links: { serverUrl: environment.serverUrl, owner, repo, sha },
    runUrl,
  });
  // No pull request, so no comment that could fail: the summary and outputs are all there is to publish.
  const finish = async (render: RenderInput, failure?: string) => {
    await publish([{ render }], inputs, deps);
    return { report: render.report, failure };
  };
  const refuse = (message: string) =>
    finish(
      { ...base(), mode, notes: [...notes, `**Refused:** ${escapeMessage(message)}`], failed: true },
      message,
    );

  if (!RECONCILE_EVENTS.has(environment.eventName)) {
    return refuse(
      `mode reconcile runs on schedule or workflow_dispatch (this run is on ${environment.eventName || '(no event)'}). Nothing was changed.`,
    );
  }
  const given = inputs.userIds.length > 0 ? 'user-ids' : inputs.emails.length > 0 ? 'emails' : undefined;
  if (given) {
    return refuse(
      `Input '${given}' is not read by mode reconcile: it reconciles the offboarding files of the default branch, ` +
        'whose entries reviewers approved. Nothing was changed.',
    );
  }
  if (!deps.github) {
    return refuse(
      "Input 'github-token' is empty: mode reconcile reads the default branch, its history and its pull requests through the GitHub API. Nothing was changed.",
    );
  }
  if (!inputs.smartsheetToken) {
    return refuse(
      "Input 'smartsheet-token' is empty: a Smartsheet token is needed to reconcile. Nothing was changed.",
    );
  }
  const github = deps.github;
  const globs = inputs.manifestPaths ?? DEFAULT_MANIFEST_PATHS;

  let branch: string;
  let files: OffboardingFileVersion[];
  try {
    branch = await github.defaultBranch();
    sha = (await github.getCommit(branch)).sha;
    files = await readOffboardingFiles(github, sha, globs);
  } catch (error) {
    return refuse(`The run stopped before any change: ${errorText(error)}`);
  }
  notes.push(
    `Reconciled ${files.length} offboarding ${files.length === 1 ? 'file' : 'files'} of ${escapeText(branch)} at commit ${shortSha(sha)}.`,
  );

  const tracer = new ProvenanceTracer(github, {
    branch,
    head: sha,
    globs,
    requiredApprovals: inputs.requiredApprovals,
    token: inputs.smartsheetToken,
    scope: `${owner}/${repo}`,
    drift: inputs.drift,
  });
  let result: OffboardResult;
  try {
    result = await offboard({
      mode: inputs.dryRun ? 'plan' : 'apply',
      files,
      labels: ACTION_LABELS,
      connection: deps.connect(),
      planOptions: {
        ...deactivationRules(inputs),
        now: deps.now,
      },
      reconcile: { drift: inputs.drift, provenance: (entries) => tracer.trace(entries) },
      signal: deps.signal,
      onPlan: (plan) => {
        for (const warning of plan.warnings ?? [])
          reporter.warning(warning, { title: 'Smartsheet user list' });
      },
      onResult: (entry) => reporter.info(describeResult(entry)),
    });
  } catch (error) {
    const message = `The run stopped: ${errorText(error)}`;
    return finish(
      { ...base(), mode, notes: [...notes, `**${escapeMessage(message)}**`], failed: true },
      message,
    );
  }

  const failures: string[] = [];
  if (!inputs.dryRun && result.plan) {
    const recorded = await recordApplies(
      github,
      tracer,
      result,
      inputs.smartsheetToken,
      deps.now ?? new Date(),
    );
    if (recorded) failures.push(recorded);
  }
  const drifted = result.report.drifted ?? [];
  if (inputs.drift === 'report' && result.stoppedBecause !== 'invalid') {
    if (inputs.dryRun) {
      if (drifted.length > 0) notes.push('Dry run: the drift issue was not updated.');
    } else {
      const context = { links: base().links, runUrl, branch };
      try {
        const kept = await keepDriftIssue(github, inputs.driftIssueLabel, drifted, context);
        if (kept.change !== 'none') {
          notes.push(`Drift issue #${kept.issue} ${kept.change}.`);
          reporter.info(`Drift issue #${kept.issue} ${kept.change}.`);
        }
      } catch (error) {
        failures.push(`Could not update the drift issue: ${errorText(error)}`);
      }
    }
  }
  if (drifted.length > 0 && inputs.drift !== 'ignore') {
    const who = drifted.map((user) => user.email ?? user.id).join(', ');
    const done =
      inputs.drift === 'revert'
        ? inputs.dryRun
          ? 'drift: revert would deactivate them again'
          : 'drift: revert deactivated them again (see their rows)'
        : 'drift: report lists them in the drift issue; nothing was done to them';
    const message = `Active again after an earlier apply: ${who}; ${done}.`;
    reporter.warning(message, { title: 'Drift' });
    notes.push(`**${escapeText(message, 2000)}**`);
  }
  if (inputs.dryRun) notes.push('Dry run: nobody was deactivated. Run again without dry-run to apply.');

  const context: OutcomeContext = {
    mode: inputs.dryRun ? 'plan' : 'apply',
    asked: inputs.dryRun ? 'plan' : 'apply',
    maxDeactivations: inputs.maxDeactivations,
    links: base().links,
    runUrl,
    notes,
  };
  const outcome = offboardOutcome(context, { result, notes: [], markers: {} });
  if ('nothingToDo' in outcome) {
    return finish(
      { ...base(), mode, notes: [...notes, escapeText(outcome.nothingToDo)], failed: failures.length > 0 },
      failures.join(' ') || undefined,
    );
  }
  const failure = [...(outcome.failure ? [outcome.failure] : []), ...failures].join(' ');
  return finish({ ...outcome.render, mode, failed: failure !== '' }, failure || undefined);
}

/** The offboarding files of the commit, read through the API at that exact commit. */
async function readOffboardingFiles(
  github: GitHubApi,
  sha: string,
  globs: readonly string[],
): Promise<OffboardingFileVersion[]> {
  const isOffboardingFile = picomatch([...globs]);
  const files: OffboardingFileVersion[] = [];
  for (const path of (await github.listTree(sha)).filter((path) => isOffboardingFile(path)).sort()) {
    const content = await github.readFile(path, sha);
    if (content !== undefined) files.push({ path, content });
  }
  return files;
}

/**
 * Adds what this run deactivated to the authenticated record of each pull request it applied, so the next
 * run tells "applied, then reactivated" (drift) from "never applied" (catch up). A failure is the run's
 * failure, like a comment an apply could not write: a re-run writes it, and nobody is deactivated twice.
 */
async function recordApplies(
  github: GitHubApi,
  tracer: ProvenanceTracer,
  result: OffboardResult,
  token: string,
  now: Date,
): Promise<string | undefined> {
  const problems: string[] = [];
  for (const { pr, record } of await tracer.records()) {
    const applied = withApplied(record, result.report, now);
    if ((applied.applied?.length ?? 0) === (record.applied?.length ?? 0)) continue;
    try {
      if (!(await rewriteRecord(github, pr.number, encodeReviewedPlan(applied, token)))) {
        problems.push(`#${pr.number} has no comment of the action to record it in`);
      }
    } catch (error) {
      problems.push(`#${pr.number}: ${errorText(error)}`);
    }
  }
  return problems.length > 0
    ? `Could not record the applies in the pull requests' comments (${problems.join('; ')}). The deactivations ` +
        'are done. Until a later apply records them, a user among them reactivated by hand is deactivated again ' +
        'by the next reconcile (as with drift: revert) instead of being reported as drift.'
    : undefined;
}

import { changeSet, type OffboardingFileVersion } from '@smartsheet-offboard/core';
import { checkApprovals } from './approvals.js';
import type { Trigger } from './event.js';
import { type GitHubApi, type PullRequestInfo, shortSha } from './github.js';
import type { ActionInputs } from './inputs.js';
import { escapeText } from './render.js';
import { type CommentMarkers, type ReviewedState, readReviewedState } from './reviewed-plan.js';
import { requireGitHub, type Sources } from './sources.js';

/** One set of targets that goes to Smartsheet on its own: a pull request's change, or the workspace's files. */
export interface Unit {
  pullRequest?: PullRequestInfo;
  /** The commit the files were read at, for links to their lines. */
  sha: string;
  files: OffboardingFileVersion[];
  /** A pull request's files at its merge base: only the entries it adds are targets. */
  baseFiles?: OffboardingFileVersion[];
  /** Whether the `user-ids` and `emails` inputs are targets too (only on `workflow_dispatch`). */
  withInputs: boolean;
  /** What reviewers saw (for a pull request), and the hidden lines to carry forward. */
  reviewed: ReviewedState;
  /** Sentences for this unit's summary and comment: who approved, files not read. */
  notes: string[];
}

/** What the gate lets through, or why the run stops before asking Smartsheet anything. */
export type GateVerdict =
  | { verdict: 'nothing-to-do'; notice: string }
  | {
      verdict: 'refuse';
      message: string;
      /** The pull requests to tell, each with the hidden lines its comment carries forward. */
      pullRequests: { pr: PullRequestInfo; markers: CommentMarkers }[];
      sha: string;
      notes: string[];
    }
  | { verdict: 'pass'; mode: 'validate' | 'plan' | 'apply'; units: Unit[] };

/**
 * Decides whether the sources may go on to Smartsheet. An apply needs the token, and every pull request
 * in it must pass the approval rules and (unless `require-reviewed-plan` is false) carry an authenticated
 * reviewed plan for its approved commit: one that fails refuses the whole run, before any deactivation.
 */
export async function passGate(
  trigger: Trigger,
  sources: Sources,
  inputs: ActionInputs,
  github: GitHubApi | undefined,
  scope: string,
): Promise<GateVerdict> {
  if (sources.kind === 'nothing-to-do') return { verdict: 'nothing-to-do', notice: sources.notice };
  const apply = trigger.mode === 'apply';
  const token = inputs.smartsheetToken;
  const reviewedState = (pr: PullRequestInfo) =>
    readReviewedState(requireGitHub(github, trigger), pr, pr.headSha, token, scope);

  if (sources.kind === 'refusal') {
    const pullRequests = [];
    for (const pr of sources.pullRequests)
      pullRequests.push({ pr, markers: (await reviewedState(pr)).markers });
    return { verdict: 'refuse', message: sources.message, pullRequests, sha: sources.sha, notes: [] };
  }

  const units: Unit[] =
    sources.kind === 'workspace'
      ? [{ sha: sources.sha, files: sources.files, withInputs: true, reviewed: { markers: {} }, notes: [] }]
      : [];
  if (sources.kind === 'pull-requests') {
    for (const { pr, files } of sources.changes) {
      units.push({
        pullRequest: pr,
        sha: pr.headSha,
        files: files.after,
        baseFiles: files.before,
        withInputs: false,
        reviewed: await reviewedState(pr),
        notes: [],
      });
    }
  }
  const refuse = (message: string): GateVerdict => ({
    verdict: 'refuse',
    message,
    pullRequests: units.flatMap((unit) =>
      unit.pullRequest ? [{ pr: unit.pullRequest, markers: unit.reviewed.markers }] : [],
    ),
    sha: units[0]?.sha ?? '',
    notes: units.flatMap((unit) => unit.notes),
  });

  if (apply && !token) {
    return refuse(
      "Input 'smartsheet-token' is empty: a Smartsheet token is needed to apply. Nothing was changed.",
    );
  }
  for (const unit of apply ? units : []) {
    const pr = unit.pullRequest;
    if (!pr) continue;
    const status = await checkApprovals(requireGitHub(github, trigger), pr, inputs.requiredApprovals);
    if (!status.satisfied) return refuse(status.message);
    unit.notes.push(
      `${status.message} Approved by ${status.approvers.map((login) => escapeText(login)).join(', ')}.`,
    );
    // A change that adds nobody (a rename, a re-worded reason) deactivates nobody: there is nothing to bind.
    const adds = changeSet(unit.baseFiles ?? [], unit.files).added.length > 0;
    if (inputs.requireReviewedPlan && adds && !unit.reviewed.record) {
      return refuse(
        `No valid reviewed plan for commit ${shortSha(pr.headSha)} of pull request #${pr.number}: ` +
          `${unit.reviewed.problem}. Nothing was changed: run the plan on the pull request again (push a commit, or ` +
          're-run its plan workflow), check what it shows, and approve again.',
      );
    }
  }
  const mode = token ? trigger.mode : 'validate';
  if (mode === 'validate') {
    for (const unit of units) {
      unit.notes.push(
        'No Smartsheet token was given (a pull request from a fork gets no secrets): the files were only ' +
          'validated offline, nothing was looked up in Smartsheet.',
      );
    }
  }
  return { verdict: 'pass', mode, units };
}

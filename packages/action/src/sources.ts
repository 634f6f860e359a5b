import { changeSet, type OffboardingFileVersion, sameEntries } from '@smartsheet-offboard/core';
import { lookAlikeFiles, offboardingPaths, readTwoVersions, type TwoVersions } from './change-set.js';
import type { ActionEnvironment, Trigger } from './event.js';
import { type GitHubApi, type PullRequestInfo, shortSha } from './github.js';
import type { ActionInputs } from './inputs.js';
import { readWorkspaceFiles } from './workspace.js';

/** One pull request's change: its offboarding files at its merge base and at its final commit. */
export interface PullRequestChange {
  pr: PullRequestInfo;
  /** The commit the pull request's entries are compared with. */
  mergeBase: string;
  files: TwoVersions;
  /** Changed files that look like offboarding files but were not read. */
  lookAlikes: string[];
}

/** What the event asks for, once GitHub has been asked. */
export type Sources =
  | { kind: 'nothing-to-do'; notice: string; lookAlikes: string[] }
  /** Refused before anything was read from Smartsheet; the pull requests it concerns get the comment. */
  | { kind: 'refusal'; message: string; pullRequests: PullRequestInfo[]; sha: string }
  | { kind: 'pull-requests'; changes: PullRequestChange[] }
  /** `workflow_dispatch`: the files of the checked-out workspace and the inputs. */
  | { kind: 'workspace'; files: OffboardingFileVersion[]; sha: string };

type Deps = { environment: ActionEnvironment; github?: GitHubApi };

/**
 * The changes the event names: a pull request's (plan, or apply on an approval), the pull requests a push
 * merged, or the workspace's files on `workflow_dispatch`. Everything that decides whom to offboard is
 * read through the API at exact commits, never from the checkout of a pull request.
 */
export async function findSources(
  trigger: Trigger,
  inputs: ActionInputs,
  deps: Deps,
  globs: readonly string[],
): Promise<Sources> {
  const { environment } = deps;
  if (trigger.event !== 'workflow_dispatch') {
    const given = inputs.userIds.length > 0 ? 'user-ids' : inputs.emails.length > 0 ? 'emails' : undefined;
    if (given) {
      return refusal(
        `Input '${given}' is read only on workflow_dispatch: on ${trigger.event} the targets are the entries the ` +
          'pull request adds to offboarding files, which reviewers approve. Nothing was changed.',
        [],
        environment.sha,
      );
    }
  }
  switch (trigger.event) {
    case 'pull_request':
    case 'pull_request_target':
    case 'pull_request_review': {
      if (trigger.event === 'pull_request_review' && trigger.mode === 'apply' && !trigger.approval) {
        return {
          kind: 'nothing-to-do',
          notice: 'The review is not an approval: nothing to apply.',
          lookAlikes: [],
        };
      }
      const github = requireGitHub(deps.github, trigger);
      // The head as it is now: an approval counts only on the final commit, and the files are read there.
      const pr = await github.getPullRequest(trigger.pullNumber);
      if (trigger.mode === 'apply') {
        const why = applicable(pr, trigger.defaultBranch);
        if (why) return refusal(why, [pr], pr.headSha);
      }
      const change = await pullRequestChange(github, pr, pr.baseRef, globs);
      if ('refusal' in change) return refusal(change.refusal, [pr], pr.headSha);
      if (change.files.before.length + change.files.after.length === 0) {
        return {
          kind: 'nothing-to-do',
          notice: 'The pull request adds or changes no offboarding file: nothing to do.',
          lookAlikes: change.lookAlikes,
        };
      }
      return { kind: 'pull-requests', changes: [change] };
    }
    case 'push':
      return pushSources(trigger, deps, globs);
    case 'workflow_dispatch': {
      const files = inputs.manifestPaths
        ? await readWorkspaceFiles(environment.workspace, inputs.manifestPaths)
        : [];
      if (files.length > 0 || inputs.userIds.length > 0 || inputs.emails.length > 0) {
        return { kind: 'workspace', files, sha: environment.sha };
      }
      return refusal(
        inputs.manifestPaths
          ? `No file matches manifest-paths (${inputs.manifestPaths.join(', ')}) and no user-ids or emails were given.`
          : 'Give user-ids, emails or manifest-paths: workflow_dispatch has no other way to know whom to offboard.',
        [],
        environment.sha,
      );
    }
  }
}

/** Why an approval may not apply this pull request now, if it may not. */
function applicable(pr: PullRequestInfo, defaultBranch: string | undefined): string | undefined {
  if (pr.state !== 'open') {
    return `Pull request #${pr.number} is ${pr.merged ? 'merged' : 'closed'}: an approval applies only an open pull request (a merged one is applied by the push). Nothing was changed.`;
  }
  if (defaultBranch === undefined) {
    return "The event does not name the repository's default branch, so the pull request's base cannot be checked. Nothing was changed.";
  }
  if (pr.baseRef !== defaultBranch) {
    return `Pull request #${pr.number} is based on ${pr.baseRef}, not on the default branch ${defaultBranch}: only a change to the default branch is applied. Nothing was changed.`;
  }
  return undefined;
}

/**
 * A pull request's offboarding files at its merge base with `base` (a branch or commit) and at its final
 * commit; a refusal when GitHub could not list all its files.
 */
async function pullRequestChange(
  github: GitHubApi,
  pr: PullRequestInfo,
  base: string,
  globs: readonly string[],
): Promise<PullRequestChange | { refusal: string }> {
  const changed = await github.listPullRequestFiles(pr.number);
  const unlisted = Math.max(0, (pr.changedFiles ?? 0) - changed.length);
  if (unlisted > 0) {
    return {
      refusal:
        `Pull request #${pr.number} changes ${pr.changedFiles} files but GitHub lists only ${changed.length}, so ` +
        'offboarding files among the others could not be read. Nothing was changed: move the offboarding files ' +
        'to a pull request of their own.',
    };
  }
  const paths = offboardingPaths(changed, globs);
  const lookAlikes = lookAlikeFiles(changed, globs);
  if (paths.length === 0) return { pr, mergeBase: base, files: { before: [], after: [] }, lookAlikes };
  const { mergeBase } = await github.compareCommits(base, pr.headSha);
  return { pr, mergeBase, files: await readTwoVersions(github, paths, mergeBase, pr.headSha), lookAlikes };
}

/**
 * The pull requests a push to the default branch merged. Every commit in `before..after` that changes an
 * offboarding file must belong to a pull request merged by this push (each is then held to its own
 * approvals and reviewed plan), and what the push adds must be exactly what their approved heads added:
 * a merge can carry entries nobody approved (a stale branch, a hand-made merge commit).
 */
async function pushSources(
  trigger: Extract<Trigger, { event: 'push' }>,
  deps: Deps,
  globs: readonly string[],
): Promise<Sources> {
  if (trigger.mode === 'apply' && trigger.ref !== `refs/heads/${trigger.defaultBranch}`) {
    return refusal(
      trigger.defaultBranch
        ? `Apply on push runs only for the default branch ${trigger.defaultBranch}; this push is to ${trigger.ref}. Nothing was changed.`
        : `The push event does not name the repository's default branch, so apply cannot tell whether ${trigger.ref} is it. Nothing was changed.`,
      [],
      trigger.sha,
    );
  }
  const github = requireGitHub(deps.github, trigger);
  const branch = trigger.ref.replace(/^refs\/heads\//, '');
  if (/^0+$/.test(trigger.before)) {
    return refusal(
      `The push creates ${branch}: there is no earlier commit to tell what it adds. Nothing was changed.`,
      [],
      trigger.sha,
    );
  }
  const range = await github.compareCommits(trigger.before, trigger.sha);
  const inRange = new Set(range.commits);
  const touched: { sha: string; paths: string[] }[] = [];
  for (const sha of range.commits) {
    const paths = offboardingPaths((await github.getCommit(sha)).files, globs);
    if (paths.length > 0) touched.push({ sha, paths });
  }
  if (touched.length === 0) {
    return {
      kind: 'nothing-to-do',
      notice: 'The push changes no offboarding file: nothing to do.',
      lookAlikes: [],
    };
  }

  const merged = new Map<number, PullRequestInfo>();
  for (const { sha, paths } of touched) {
    const pulls = await github.pullRequestsForCommit(sha);
    const pr = pulls.find(
      (candidate) =>
        candidate.merged &&
        candidate.baseRef === branch &&
        candidate.mergeCommitSha !== undefined &&
        inRange.has(candidate.mergeCommitSha),
    );
    if (!pr) {
      return refusal(
        `Commit ${shortSha(sha)} changes ${paths.join(', ')} but belongs to no pull request merged into ${branch} ` +
          'by this push, so nobody approved it. Nothing was changed: open a pull request with the change.',
        [...merged.values()],
        trigger.sha,
      );
    }
    merged.set(pr.number, pr);
  }

  const changes: PullRequestChange[] = [];
  for (const { number } of [...merged.values()].sort(
    (a, b) => range.commits.indexOf(a.mergeCommitSha!) - range.commits.indexOf(b.mergeCommitSha!),
  )) {
    const pr = await github.getPullRequest(number);
    const change = await pullRequestChange(github, pr, trigger.before, globs);
    if ('refusal' in change) return refusal(change.refusal, [...merged.values()], trigger.sha);
    changes.push(change);
  }

  const pushed = await readTwoVersions(
    github,
    [...new Set(touched.flatMap((commit) => commit.paths))].sort(),
    trigger.before,
    trigger.sha,
  );
  const pushAdds = changeSet(pushed.before, pushed.after).added;
  const approvedAdds = changes.flatMap((change) => changeSet(change.files.before, change.files.after).added);
  if (!sameEntries(pushAdds, approvedAdds)) {
    const prs = changes.map((change) => `#${change.pr.number}`).join(', ');
    return refusal(
      `What this push adds to the offboarding files is not what the approved final commit of ${prs} added ` +
        '(the branch was behind, or the merge changed the entries). Nothing was changed: update the branch and ' +
        'approve again.',
      changes.map((change) => change.pr),
      trigger.sha,
    );
  }
  return { kind: 'pull-requests', changes };
}

function refusal(message: string, pullRequests: PullRequestInfo[], sha: string): Sources {
  return { kind: 'refusal', message, pullRequests, sha };
}

/** The GitHub client, or an error naming the input that would have provided it. */
export function requireGitHub(github: GitHubApi | undefined, trigger: Trigger): GitHubApi {
  if (!github) {
    throw new Error(
      `Input 'github-token' is empty: on ${trigger.event} the action reads the pull request's files and reviews through the GitHub API`,
    );
  }
  return github;
}

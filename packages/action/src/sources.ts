import { offboardingFiles, readPullRequestFiles } from './change-set.js';
import type { ActionEnvironment, Trigger } from './event.js';
import { type GitHubApi, type PullRequestInfo, shortSha } from './github.js';
import type { ActionInputs } from './inputs.js';
import { readWorkspaceFiles } from './workspace.js';

/** What the event asks for, once GitHub has been asked. */
export interface Sources {
  files: { path: string; content: string | Uint8Array }[];
  pullRequest?: PullRequestInfo;
  /** The commit the files were read at, for links to their lines. */
  sha: string;
  /** Why there is nothing to do, when there is not. */
  nothingToDo?: string;
  /** Why the run must refuse before reading anything, when it must. */
  refusal?: string;
  /** Changed files that look like offboarding files but were not read. */
  lookAlikes?: string[];
}

/**
 * The pull request GitHub merged into `baseRef` as commit `sha`: merged, and `sha` is its merge commit (a
 * merge, squash or the last rebased commit). An open pull request that merely contains the commit does not
 * count, nor one merged into another branch whose merge commit was then pushed here.
 */
export async function mergedPullRequestFor(
  api: GitHubApi,
  sha: string,
  baseRef: string,
): Promise<PullRequestInfo | undefined> {
  const pulls = await api.pullRequestsForCommit(sha);
  return pulls.find((pr) => pr.merged && pr.mergeCommitSha === sha && pr.baseRef === baseRef);
}

/**
 * The offboarding files and pull request the event asks for: a pull request's files at its final commit,
 * the merged pull request of a push, or the workspace's files on `workflow_dispatch`.
 */
export async function findSources(
  trigger: Trigger,
  inputs: ActionInputs,
  { environment, github: api }: { environment: ActionEnvironment; github?: GitHubApi },
  globs: readonly string[],
): Promise<Sources> {
  switch (trigger.event) {
    case 'pull_request':
    case 'pull_request_review': {
      if (trigger.event === 'pull_request_review' && trigger.mode === 'apply' && !trigger.approval) {
        return {
          files: [],
          sha: environment.sha,
          nothingToDo: 'The review is not an approval: nothing to apply.',
        };
      }
      const github = requireGitHub(api, trigger);
      // The head as it is now: an approval counts only on the final commit, and the files are read there.
      const pullRequest = await github.getPullRequest(trigger.pullNumber);
      return pullRequestSources(
        github,
        pullRequest,
        inputs,
        globs,
        'The pull request adds or changes no offboarding file',
      );
    }
    case 'push': {
      if (trigger.mode === 'apply' && trigger.ref !== `refs/heads/${trigger.defaultBranch}`) {
        return {
          files: [],
          sha: trigger.sha,
          refusal: trigger.defaultBranch
            ? `Apply on push runs only for the default branch ${trigger.defaultBranch}; this push is to ${trigger.ref}. Nothing was changed.`
            : `The push event does not name the repository's default branch, so apply cannot tell whether ${trigger.ref} is it. Nothing was changed.`,
        };
      }
      const github = requireGitHub(api, trigger);
      const branch = trigger.ref.replace(/^refs\/heads\//, '');
      const merged = await mergedPullRequestFor(github, trigger.sha, branch);
      if (!merged) {
        const touched = offboardingFiles(
          (environment.payload.commits ?? []).flatMap((commit) =>
            [...(commit.added ?? []), ...(commit.modified ?? [])].map((path) => ({
              path,
              status: 'modified',
            })),
          ),
          globs,
        );
        return touched.length > 0 && trigger.mode === 'apply'
          ? {
              files: [],
              sha: trigger.sha,
              refusal:
                `Commit ${shortSha(trigger.sha)} changes ${touched.join(', ')} but was not merged from a pull request into ${branch}, ` +
                'so nobody approved it. Nothing was changed: open a pull request with the file.',
            }
          : withTargets(
              { files: [], sha: trigger.sha },
              inputs,
              'The push comes from no merged pull request that changes offboarding files',
            );
      }
      // Read at the pull request's final commit, the one the approvals stand on, never at the merge commit:
      // a merge can carry lines nobody approved (base-branch changes, or a hand-made merge commit).
      const pullRequest = await github.getPullRequest(merged.number);
      return pullRequestSources(
        github,
        pullRequest,
        inputs,
        globs,
        `Pull request #${pullRequest.number} adds or changes no offboarding file`,
      );
    }
    case 'workflow_dispatch': {
      const files = inputs.manifestPaths
        ? await readWorkspaceFiles(environment.workspace, inputs.manifestPaths)
        : [];
      const sources = withTargets({ files, sha: environment.sha }, inputs, '');
      return sources.nothingToDo === undefined
        ? sources
        : {
            ...sources,
            nothingToDo: undefined,
            refusal: inputs.manifestPaths
              ? `No file matches manifest-paths (${inputs.manifestPaths.join(', ')}) and no user-ids or emails were given.`
              : 'Give user-ids, emails or manifest-paths: workflow_dispatch has no other way to know whom to offboard.',
          };
    }
  }
}

/** The offboarding files of a pull request at its final commit; a refusal when GitHub could not list them all. */
async function pullRequestSources(
  github: GitHubApi,
  pullRequest: PullRequestInfo,
  inputs: ActionInputs,
  globs: readonly string[],
  nothing: string,
): Promise<Sources> {
  const sha = pullRequest.headSha;
  const { files, unlisted, lookAlikes } = await readPullRequestFiles(github, pullRequest, sha, globs);
  if (unlisted > 0) {
    return {
      files: [],
      pullRequest,
      sha,
      refusal:
        `Pull request #${pullRequest.number} changes ${pullRequest.changedFiles} files but GitHub lists only ` +
        `${pullRequest.changedFiles! - unlisted}, so offboarding files among the others could not be read. ` +
        'Nothing was changed: move the offboarding files to a pull request of their own.',
    };
  }
  return withTargets({ files, pullRequest, sha, lookAlikes }, inputs, nothing);
}

/** Marks the sources as nothing to do when no file was found and no input names anyone. */
function withTargets(sources: Sources, inputs: ActionInputs, nothing: string): Sources {
  const hasTargets = sources.files.length > 0 || inputs.userIds.length > 0 || inputs.emails.length > 0;
  return hasTargets ? sources : { ...sources, nothingToDo: `${nothing}: nothing to do.` };
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

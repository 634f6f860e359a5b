import { getOctokit } from '@actions/github';

/** The part of a pull request the action decides on. */
export interface PullRequestInfo {
  number: number;
  author: string;
  headSha: string;
  baseRef: string;
  merged: boolean;
  mergeCommitSha?: string;
  /** How many files GitHub says the pull request changes; absent in lists of pull requests. */
  changedFiles?: number;
}

export interface ChangedFile {
  path: string;
  /** `added`, `modified`, `renamed`, `removed`, … as the pull request files API says. */
  status: string;
}

export interface Review {
  reviewer?: string;
  /** A GitHub App or workflow token (`github-actions[bot]`), which anyone who can push a workflow controls. */
  reviewerIsBot?: boolean;
  /** `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, `DISMISSED`, `PENDING`. */
  state: string;
  commitId?: string;
}

export interface IssueComment {
  id: number;
  body: string;
  author?: string;
  authorIsBot?: boolean;
}

/** The GitHub calls the action makes; an Octokit adapter in production, a fake in tests. */
export interface GitHubApi {
  getPullRequest(pullNumber: number): Promise<PullRequestInfo>;
  /** Every file of the pull request (paginated; GitHub lists at most 3000). */
  listPullRequestFiles(pullNumber: number): Promise<ChangedFile[]>;
  /** Every review, oldest first. */
  listReviews(pullNumber: number): Promise<Review[]>;
  /** A user's permission on the repository: `admin`, `write`, `read` or `none`. */
  permissionOf(login: string): Promise<string>;
  pullRequestsForCommit(sha: string): Promise<PullRequestInfo[]>;
  /** A file's raw content at a commit. */
  readFile(path: string, ref: string): Promise<string>;
  listComments(issueNumber: number): Promise<IssueComment[]>;
  /** The login of the token's user; undefined for an app or workflow token, which has no user. */
  tokenLogin(): Promise<string | undefined>;
  createComment(issueNumber: number, body: string): Promise<void>;
  updateComment(commentId: number, body: string): Promise<void>;
}

export interface Repository {
  owner: string;
  repo: string;
}

type Octokit = ReturnType<typeof getOctokit>;

interface RestPullRequest {
  number: number;
  user: { login: string } | null;
  head: { sha: string };
  base: { ref: string };
  merged_at: string | null;
  merge_commit_sha: string | null;
  changed_files?: number;
}

function toPullRequestInfo(pr: RestPullRequest): PullRequestInfo {
  return {
    number: pr.number,
    author: pr.user?.login ?? '',
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    merged: pr.merged_at !== null,
    mergeCommitSha: pr.merge_commit_sha ?? undefined,
    ...(typeof pr.changed_files === 'number' ? { changedFiles: pr.changed_files } : {}),
  };
}

const isBot = (user: { login: string; type?: string } | null | undefined): boolean =>
  user?.type === 'Bot' || (user?.login.endsWith('[bot]') ?? false);

/**
 * The production client: the one place an Octokit is built, so its options (retries, throttling, timeouts)
 * apply to every call the action makes.
 */
export function createGitHubApi(token: string, repository: Repository): GitHubApi {
  return octokitApi(getOctokit(token), repository);
}

/** Adapts an Octokit client (from `@actions/github`'s `getOctokit`) to `GitHubApi`. */
export function octokitApi(octokit: Octokit, { owner, repo }: Repository): GitHubApi {
  return {
    async getPullRequest(pullNumber) {
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
      return toPullRequestInfo(data);
    },
    async listPullRequestFiles(pullNumber) {
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
        owner,
        repo,
        pull_number: pullNumber,
        per_page: 100,
      });
      return files.map((file) => ({ path: file.filename, status: file.status }));
    },
    async listReviews(pullNumber) {
      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
        owner,
        repo,
        pull_number: pullNumber,
        per_page: 100,
      });
      return reviews.map((review) => ({
        reviewer: review.user?.login,
        ...(isBot(review.user) ? { reviewerIsBot: true } : {}),
        state: review.state,
        commitId: review.commit_id ?? undefined,
      }));
    },
    async permissionOf(login) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
          owner,
          repo,
          username: login,
        });
        return data.permission;
      } catch (error) {
        // Someone who is not a collaborator (or no longer exists) has no permission to count.
        if ((error as { status?: unknown }).status === 404) return 'none';
        throw error;
      }
    },
    async pullRequestsForCommit(sha) {
      const pulls = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
        owner,
        repo,
        commit_sha: sha,
        per_page: 100,
      });
      return pulls.map(toPullRequestInfo);
    },
    async readFile(path, ref) {
      const { data } = await octokit.rest.repos.getContent({
        owner,
        repo,
        path,
        ref,
        mediaType: { format: 'raw' },
      });
      return typeof data === 'string' ? data : String(data);
    },
    async listComments(issueNumber) {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: issueNumber,
        per_page: 100,
      });
      return comments.map((comment) => ({
        id: comment.id,
        body: comment.body ?? '',
        author: comment.user?.login,
        authorIsBot: isBot(comment.user),
      }));
    },
    async tokenLogin() {
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
      } catch {
        // An installation token (the workflow's own) may not read /user: it acts as a bot.
        return undefined;
      }
    },
    async createComment(issueNumber, body) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    },
    async updateComment(commentId, body) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body });
    },
  };
}

/** The seven characters GitHub shows for a commit. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

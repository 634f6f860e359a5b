import type { getOctokit } from '@actions/github';

/** The part of a pull request the action decides on. */
export interface PullRequestInfo {
  number: number;
  author: string;
  /** The author is a GitHub App or bot account. */
  authorIsBot?: boolean;
  state: 'open' | 'closed';
  headSha: string;
  baseRef: string;
  merged: boolean;
  mergeCommitSha?: string;
  /** How many files GitHub says the pull request changes; absent in lists of pull requests. */
  changedFiles?: number;
}

export interface ChangedFile {
  path: string;
  /** `added`, `modified`, `renamed`, `removed`, … as the files APIs say. */
  status: string;
  /** For a renamed file: the path it had before. */
  previousPath?: string;
}

/** A commit of a pull request, with the GitHub accounts its author and committer map to (none when unlinked). */
export interface PullRequestCommit {
  sha: string;
  author?: string;
  committer?: string;
}

/** One commit, with the files it changes compared with its first parent. */
export interface CommitInfo {
  sha: string;
  parents: string[];
  files: ChangedFile[];
}

/** `GET compare/{base}...{head}`: how `head` relates to `base`, and the commits `head` has that `base` lacks. */
export interface Comparison {
  status: 'ahead' | 'behind' | 'identical' | 'diverged';
  mergeBase: string;
  /** Oldest first. */
  commits: string[];
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
}

/** An issue as the drift report reads it. */
export interface IssueInfo {
  number: number;
  title: string;
  body: string;
  author?: string;
  /** `GET /issues` lists pull requests too; those are left out by the adapter. */
}

/** The GitHub calls the action makes; an Octokit adapter in production, a fake in tests. */
export interface GitHubApi {
  getPullRequest(pullNumber: number): Promise<PullRequestInfo>;
  /** Every file of the pull request (paginated; GitHub lists at most 3000). */
  listPullRequestFiles(pullNumber: number): Promise<ChangedFile[]>;
  /** Every commit of the pull request (GitHub lists at most 250). */
  listPullRequestCommits(pullNumber: number): Promise<PullRequestCommit[]>;
  /** Every review, oldest first. */
  listReviews(pullNumber: number): Promise<Review[]>;
  /** A user's permission on the repository: `admin`, `write`, `read` or `none`. */
  permissionOf(login: string): Promise<string>;
  pullRequestsForCommit(sha: string): Promise<PullRequestInfo[]>;
  /** Every commit in `base...head` (paginated) and their merge base. */
  compareCommits(base: string, head: string): Promise<Comparison>;
  /** One commit (a SHA or a branch name; the answer has the commit's SHA) and every file it changes (paginated). */
  getCommit(sha: string): Promise<CommitInfo>;
  /** The repository's default branch (`GET /repos/{owner}/{repo}` → default_branch). */
  defaultBranch(): Promise<string>;
  /** The paths of every file (blob) in the commit's tree (`GET /repos/{o}/{r}/git/trees/{sha}?recursive=1`);
   *  throws a `TreeTruncatedError` naming the commit when GitHub says the listing is truncated. */
  listTree(sha: string): Promise<string[]>;
  /** Up to `limit` SHAs of commits that changed `path`, newest first, walking back from `sha`
   *  (`GET /repos/{o}/{r}/commits?sha=&path=&per_page=`, paginated until `limit` or the end). */
  listCommitsForPath(path: string, sha: string, limit: number): Promise<string[]>;
  /** A file's raw content at a commit; undefined when the file does not exist there. */
  readFile(path: string, ref: string): Promise<string | undefined>;
  listComments(issueNumber: number): Promise<IssueComment[]>;
  /** The login of the token's user; undefined for an app or workflow token, which has no user. */
  tokenLogin(): Promise<string | undefined>;
  createComment(issueNumber: number, body: string): Promise<void>;
  updateComment(commentId: number, body: string): Promise<void>;
  /** Open issues (not pull requests) carrying `label`, oldest first (`GET /repos/{o}/{r}/issues?labels=&state=open&sort=created&direction=asc`, paginated). */
  listOpenIssues(label: string): Promise<IssueInfo[]>;
  /** Creates an issue with these labels; returns its number. */
  createIssue(title: string, body: string, labels: string[]): Promise<number>;
  /** Changes an issue's body and/or closes it (`state: 'closed'`, state_reason 'completed'). */
  updateIssue(issueNumber: number, change: { body?: string; state?: 'open' | 'closed' }): Promise<void>;
}

export interface Repository {
  owner: string;
  repo: string;
}

/** An Octokit client as `@actions/github`'s `getOctokit` builds it. */
export type Octokit = ReturnType<typeof getOctokit>;

interface RestPullRequest {
  number: number;
  state: string;
  user: { login: string; type?: string } | null;
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
    ...(isBot(pr.user) ? { authorIsBot: true } : {}),
    state: pr.state === 'open' ? 'open' : 'closed',
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    merged: pr.merged_at !== null,
    mergeCommitSha: pr.merge_commit_sha ?? undefined,
    ...(typeof pr.changed_files === 'number' ? { changedFiles: pr.changed_files } : {}),
  };
}

function toChangedFile(file: { filename: string; status: string; previous_filename?: string }): ChangedFile {
  return {
    path: file.filename,
    status: file.status,
    ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
  };
}

const isBot = (user: { login: string; type?: string } | null | undefined): boolean =>
  user?.type === 'Bot' || (user?.login.endsWith('[bot]') ?? false);

const PAGE_SIZE = 100;

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
      return files.map(toChangedFile);
    },
    async listPullRequestCommits(pullNumber) {
      const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
        owner,
        repo,
        pull_number: pullNumber,
        per_page: 100,
      });
      return commits.map((commit) => ({
        sha: commit.sha,
        ...(commit.author?.login ? { author: commit.author.login } : {}),
        ...(commit.committer?.login ? { committer: commit.committer.login } : {}),
      }));
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
    async compareCommits(base, head) {
      const commits: string[] = [];
      // The commits are paginated (the status and merge base repeat on every page); `total_commits` says when to stop.
      for (let page = 1; ; page++) {
        const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
          owner,
          repo,
          basehead: `${base}...${head}`,
          per_page: PAGE_SIZE,
          page,
        });
        commits.push(...data.commits.map((commit) => commit.sha));
        if (data.commits.length < PAGE_SIZE || commits.length >= data.total_commits) {
          return { status: data.status, mergeBase: data.merge_base_commit.sha, commits };
        }
      }
    },
    async getCommit(sha) {
      const files: ChangedFile[] = [];
      for (let page = 1; ; page++) {
        const { data } = await octokit.rest.repos.getCommit({
          owner,
          repo,
          ref: sha,
          per_page: PAGE_SIZE,
          page,
        });
        const listed = data.files ?? [];
        files.push(...listed.map(toChangedFile));
        if (listed.length < PAGE_SIZE) {
          return { sha: data.sha, parents: data.parents.map((parent) => parent.sha), files };
        }
      }
    },
    async defaultBranch() {
      return (await octokit.rest.repos.get({ owner, repo })).data.default_branch;
    },
    async listTree(sha) {
      const { data } = await octokit.rest.git.getTree({ owner, repo, tree_sha: sha, recursive: '1' });
      // A truncated listing would silently leave files unread.
      if (data.truncated) throw new TreeTruncatedError(sha);
      return data.tree.filter((entry) => entry.type === 'blob').map((entry) => entry.path);
    },
    async listCommitsForPath(path, sha, limit) {
      const shas: string[] = [];
      if (limit <= 0) return shas;
      // Pages no larger than needed: `limit` commits in the fewest requests.
      for await (const { data } of octokit.paginate.iterator(octokit.rest.repos.listCommits, {
        owner,
        repo,
        sha,
        path,
        per_page: Math.min(limit, PAGE_SIZE),
      })) {
        shas.push(...data.map((commit) => commit.sha));
        if (shas.length >= limit) break;
      }
      return shas.slice(0, limit);
    },
    async readFile(path, ref) {
      try {
        const { data } = await octokit.rest.repos.getContent({
          owner,
          repo,
          path,
          ref,
          mediaType: { format: 'raw' },
          // The bytes, whatever the content type says: decoded here, so text that is not UTF-8 is refused.
          request: { parseSuccessResponseBody: false },
        });
        return decodeUtf8(
          new Uint8Array(await new Response(data as unknown as ReadableStream<Uint8Array>).arrayBuffer()),
          path,
          ref,
        );
      } catch (error) {
        // No such file at that commit: an added file has no version at the merge base.
        if ((error as { status?: unknown }).status === 404) return undefined;
        throw error;
      }
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
      }));
    },
    async tokenLogin() {
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
      } catch (error) {
        // An installation token (the workflow's own, or an app's) may not read /user: it acts as a bot. Any
        // other failure must not pass for that: the token user's own comments would not be found.
        const status = (error as { status?: unknown }).status;
        if (status === 401 || status === 403) return undefined;
        throw error;
      }
    },
    async createComment(issueNumber, body) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    },
    async updateComment(commentId, body) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body });
    },
    async listOpenIssues(label) {
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        labels: label,
        state: 'open',
        sort: 'created',
        direction: 'asc',
        per_page: 100,
      });
      return issues
        .filter((issue) => !issue.pull_request)
        .map((issue) => ({
          number: issue.number,
          title: issue.title,
          body: issue.body ?? '',
          author: issue.user?.login,
        }));
    },
    async createIssue(title, body, labels) {
      return (await octokit.rest.issues.create({ owner, repo, title, body, labels })).data.number;
    },
    async updateIssue(issueNumber, { body, state }) {
      await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: issueNumber,
        body,
        state,
        ...(state === 'closed' ? { state_reason: 'completed' as const } : {}),
      });
    },
  };
}

/** Thrown when GitHub lists a commit's tree truncated (over 100,000 entries or 7 MB), so not every file. */
export class TreeTruncatedError extends Error {
  override name = 'TreeTruncatedError';
  constructor(readonly commit: string) {
    super(
      `GitHub lists the tree of commit ${commit} only in part (truncated: over 100,000 entries or 7 MB), so not every offboarding file can be found there.`,
    );
  }
}

/** Thrown for a file whose bytes are not UTF-8 text. */
export class NotUtf8Error extends Error {
  override name = 'NotUtf8Error';
}

/** A file's bytes as text; a file that is not UTF-8 is refused, never read with replacement characters. */
export function decodeUtf8(bytes: Uint8Array, path: string, ref: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NotUtf8Error(
      `${path} at ${shortSha(ref)} is not UTF-8 text: save it as UTF-8 (offboarding files are read as UTF-8 only).`,
    );
  }
}

/** The seven characters GitHub shows for a commit. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

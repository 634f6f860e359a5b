import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

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
  /** One commit and every file it changes (paginated). */
  getCommit(sha: string): Promise<CommitInfo>;
  /** A file's raw content at a commit; undefined when the file does not exist there. */
  readFile(path: string, ref: string): Promise<string | undefined>;
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

/** How the production client bounds each GitHub call. */
export interface GitHubClientOptions {
  /** Aborted when the workflow is cancelled: every request in flight and every wait for a retry ends. */
  signal?: AbortSignal;
  /** How long one request may take before it is abandoned (and retried); `GITHUB_TIMEOUT_DEFAULT_SECONDS`. */
  timeoutSeconds?: number;
  /** Where retries and waits are logged (`core.info`). */
  log?: (message: string) => void;
  /** GitHub's API; `@actions/github` reads `GITHUB_API_URL` otherwise. */
  baseUrl?: string;
}

/**
 * GitHub ends a REST request that takes it over 10 seconds; twice that leaves room for the network while a
 * connection that hangs is given up in time.
 */
export const GITHUB_TIMEOUT_DEFAULT_SECONDS = 20;
/** Attempts per request for a 5xx, a network error or a timeout: the first and two retries (after 1 s, 4 s). */
export const GITHUB_ATTEMPTS = 3;
/** Rate limits are waited out only this long, at most twice per request; a longer wait fails the run instead. */
export const GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS = 60;
const RATE_LIMIT_RETRIES = 2;

/** The variable that changes the per-request time limit (in seconds, up to 600): for slow GitHub Enterprise Servers. */
export const GITHUB_TIMEOUT_VARIABLE = 'SMARTSHEET_OFFBOARD_GITHUB_TIMEOUT_SECONDS';

/** The per-request time limit from the environment, or the default; a value that is not a number is refused. */
export function githubTimeoutSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[GITHUB_TIMEOUT_VARIABLE]?.trim();
  if (!text) return GITHUB_TIMEOUT_DEFAULT_SECONDS;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0 || seconds > 600) {
    throw new Error(
      `${GITHUB_TIMEOUT_VARIABLE} has the invalid value "${text}": expected a number of seconds above 0 and at most 600`,
    );
  }
  return seconds;
}

/**
 * The production client: the one place an Octokit is built, so its retries (5xx, network errors,
 * timeouts: `GITHUB_ATTEMPTS` attempts), rate-limit handling, per-request time limit and cancellation apply
 * to every call the action makes, and every failure names the call, GitHub's status and what to do.
 */
export function createGitHubApi(
  token: string,
  repository: Repository,
  options: GitHubClientOptions = {},
): GitHubApi {
  const { signal, log = () => {} } = options;
  const timeoutSeconds = options.timeoutSeconds ?? GITHUB_TIMEOUT_DEFAULT_SECONDS;
  const waitFor =
    (limit: string) =>
    (retryAfter: number, request: object, octokit: Pick<Octokit, 'request'>, retryCount: number) => {
      const wanted =
        !signal?.aborted &&
        retryCount < RATE_LIMIT_RETRIES &&
        retryAfter <= GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS;
      if (wanted)
        log(
          `GitHub's ${limit} on ${describeRequest(octokit, request as EndpointOptions)}: retrying in ${retryAfter} s.`,
        );
      return wanted;
    };
  const octokit = getOctokit(
    token,
    {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      retry: { retries: GITHUB_ATTEMPTS - 1 },
      throttle: { onRateLimit: waitFor('rate limit'), onSecondaryRateLimit: waitFor('secondary rate limit') },
    },
    // First, so that it wraps each attempt: the retry and throttling plugins wrap it in turn.
    boundedAttempts(timeoutSeconds, log, signal),
    retry,
    throttling,
  );
  return withNamedErrors(octokitApi(octokit, repository), { signal, timeoutSeconds });
}

/**
 * An Octokit plugin giving each attempt of a request its own time limit and the run's cancellation, and
 * logging each attempt GitHub failed. (Passing `request.fetch` instead would drop `@actions/github`'s proxy
 * support, which lives in its default `request` options.)
 */
function boundedAttempts(timeoutSeconds: number, log: (message: string) => void, signal?: AbortSignal) {
  const plugin: OctokitPlugin = (octokit) => {
    octokit.hook.wrap('request', async (request, options) => {
      const signals = [AbortSignal.timeout(timeoutSeconds * 1000), ...(signal ? [signal] : [])];
      // In place: the hooks inside this one were bound to this very object.
      options.request = Object.assign(options.request ?? {}, { signal: AbortSignal.any(signals) });
      try {
        return await request(options);
      } catch (error) {
        const failed = error as FailedRequest;
        if (signal?.aborted) throw error;
        const what = describeRequest(octokit, options);
        if (!failed.response)
          log(`No answer from GitHub to ${what}: ${errorMessage(failed.cause ?? error)}.`);
        else if ((failed.status ?? 0) >= 500) log(`GitHub answered HTTP ${failed.status} to ${what}.`);
        throw error;
      }
    });
  };
  return plugin;
}

type OctokitPlugin = NonNullable<Parameters<typeof getOctokit>[2]>;
type EndpointOptions = Parameters<Octokit['request']['endpoint']['parse']>[0];

/** `GET /repos/acme/people/pulls/3`, for logs: the method and the path with its parameters filled in. */
function describeRequest(octokit: Pick<Octokit, 'request'>, options: EndpointOptions): string {
  const { method, url } = octokit.request.endpoint.parse(options);
  return `${method} ${pathOf(url)}`;
}

/** A GitHub call that failed for good: its message names the call, GitHub's status and what to do. */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  constructor(
    message: string,
    /** The `GitHubApi` method, for example `updateComment`. */
    readonly operation: string,
    /** GitHub's HTTP status; undefined when GitHub did not answer. */
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Every method of `api`, with failures turned into `GitHubApiError`s and cancellation ending a call at
 * once, even while it waits to retry.
 */
export function withNamedErrors(
  api: GitHubApi,
  { signal, timeoutSeconds }: { signal?: AbortSignal; timeoutSeconds: number },
): GitHubApi {
  const named = {} as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const [operation, method] of Object.entries(api) as [
    string,
    (...args: unknown[]) => Promise<unknown>,
  ][]) {
    named[operation] = async (...args) => {
      try {
        return await untilAborted(method.apply(api, args), signal);
      } catch (error) {
        throw namedError(operation, error, signal, timeoutSeconds);
      }
    };
  }
  return named as unknown as GitHubApi;
}

const CANCELLED = Symbol('cancelled');

function untilAborted<T>(call: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return call;
  // The call itself ends soon after (its next request is aborted); nothing may wait for it meanwhile.
  call.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(CANCELLED);
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

interface FailedRequest {
  status?: number;
  request?: { method?: string; url?: string };
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
  cause?: unknown;
}

function namedError(
  operation: string,
  error: unknown,
  signal: AbortSignal | undefined,
  timeoutSeconds: number,
): GitHubApiError {
  if (error instanceof GitHubApiError) return error;
  const failed = (error ?? {}) as FailedRequest;
  const call = failed.request?.method
    ? `${operation} (${failed.request.method} ${pathOf(failed.request.url ?? '')})`
    : operation;
  const fail = (status: number | undefined, what: string, advice: string) =>
    new GitHubApiError(`GitHub API ${call} ${what}. ${advice}`, operation, status, { cause: error });
  if (error === CANCELLED || signal?.aborted) {
    return fail(undefined, 'was cancelled with the workflow run', 'Nothing more was asked of GitHub.');
  }
  const response = failed.response;
  if (!response) {
    const cause = failed.cause as { name?: string } | undefined;
    const what =
      cause?.name === 'TimeoutError'
        ? `got no answer within ${timeoutSeconds} s, ${GITHUB_ATTEMPTS} times`
        : `could not reach GitHub (${errorMessage(failed.cause ?? error)}), ${GITHUB_ATTEMPTS} times`;
    return fail(undefined, what, `Re-run the job later; ${STATUS_PAGE} shows GitHub's incidents.`);
  }
  const status = failed.status ?? 0;
  const headers = response.headers ?? {};
  const said = githubMessage(response.data);
  const what = `failed with HTTP ${status}${said ? ` (${said})` : ''}`;
  if (headers['x-ratelimit-remaining'] === '0') {
    const reset = new Date(Number(headers['x-ratelimit-reset']) * 1000);
    const when = Number.isNaN(reset.getTime()) ? 'it resets' : `${reset.toISOString().slice(11, 19)} UTC`;
    return fail(status, what, `The token's GitHub API rate limit is used up: re-run the job after ${when}.`);
  }
  if (/secondary rate limit/i.test(said)) {
    return fail(
      status,
      what,
      'GitHub limits requests made in quick succession: re-run the job in a few minutes.',
    );
  }
  if (status >= 500) {
    return fail(
      status,
      `${what}, ${GITHUB_ATTEMPTS} times`,
      `Re-run the job later; ${STATUS_PAGE} shows GitHub's incidents.`,
    );
  }
  const advice =
    status === 401
      ? "The github-token input is not a valid token (expired or revoked); leave it at its default, the workflow's own token, unless another is needed."
      : status === 403
        ? 'The github-token may not do this: the job needs `permissions:` `contents: read` and `pull-requests: write` (a pull_request run from a fork always gets a read-only token).'
        : status === 404
          ? 'GitHub has no such object, or the github-token may not see it (`contents: read`, `pull-requests: read`).'
          : 'GitHub refused the request.';
  return fail(status, what, advice);
}

const STATUS_PAGE = 'https://www.githubstatus.com';

/** GitHub's own `message`, on one line and short; nothing of an HTML error page. */
function githubMessage(data: unknown): string {
  const message = (data as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') return '';
  const line = message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** A request's path without its query or host, for messages. */
function pathOf(url: string): string {
  try {
    return new URL(url, 'http://github.invalid').pathname;
  } catch {
    return url;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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
  };
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

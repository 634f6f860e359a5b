import { readFile } from 'node:fs/promises';
import type { getOctokit } from '@actions/github';
import picomatch from 'picomatch';

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

/** What the runner tells the action about this run. */
export interface ActionEnvironment {
  eventName: string;
  payload: EventPayload;
  repository: Repository;
  runId: string;
  runAttempt: string;
  /** The commit the workflow runs on (`GITHUB_SHA`). */
  sha: string;
  serverUrl: string;
  workspace: string;
  runnerTemp: string;
}

/** The fields of the webhook payloads the action reads. */
export interface EventPayload {
  pull_request?: { number: number };
  review?: { state?: string };
  ref?: string;
  after?: string;
  repository?: { default_branch?: string };
  commits?: { added?: string[]; modified?: string[] }[];
}

/** Reads the runner's `GITHUB_*` variables and the event payload file. */
export async function readEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<ActionEnvironment> {
  const [owner = '', repo = ''] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  const eventPath = env['GITHUB_EVENT_PATH'];
  const payload = eventPath ? (JSON.parse(await readFile(eventPath, 'utf8')) as EventPayload) : {};
  return {
    eventName: env['GITHUB_EVENT_NAME'] ?? '',
    payload,
    repository: { owner, repo },
    runId: env['GITHUB_RUN_ID'] ?? '',
    runAttempt: env['GITHUB_RUN_ATTEMPT'] ?? '1',
    sha: env['GITHUB_SHA'] ?? '',
    serverUrl: env['GITHUB_SERVER_URL'] ?? 'https://github.com',
    workspace: env['GITHUB_WORKSPACE'] ?? process.cwd(),
    runnerTemp: env['RUNNER_TEMP'] ?? env['TMPDIR'] ?? '/tmp',
  };
}

export const SUPPORTED_EVENTS = ['pull_request', 'push', 'pull_request_review', 'workflow_dispatch'] as const;

/** What this run does, decided from the event and the `mode` input. */
export type Trigger =
  | { event: 'pull_request'; mode: 'plan' | 'apply'; pullNumber: number }
  | { event: 'pull_request_review'; mode: 'plan' | 'apply'; pullNumber: number; approval: boolean }
  | { event: 'push'; mode: 'plan' | 'apply'; sha: string; ref: string; defaultBranch?: string }
  | { event: 'workflow_dispatch'; mode: 'plan' | 'apply' };

/** Thrown for an event the action does not handle. */
export class UnsupportedEventError extends Error {
  override name = 'UnsupportedEventError';
  constructor(eventName: string) {
    super(
      `smartsheet-offboard does not handle the '${eventName || '(none)'}' event; ` +
        `run it on ${SUPPORTED_EVENTS.join(', ')}`,
    );
  }
}

/** `auto` plans on `pull_request` and applies on every other supported event. */
export function triggerFor(environment: ActionEnvironment, mode: 'auto' | 'plan' | 'apply'): Trigger {
  const { eventName, payload } = environment;
  const resolve = (automatic: 'plan' | 'apply') => (mode === 'auto' ? automatic : mode);
  switch (eventName) {
    case 'pull_request': {
      const pullNumber = requirePullNumber(payload, eventName);
      return { event: 'pull_request', mode: resolve('plan'), pullNumber };
    }
    case 'pull_request_review': {
      const pullNumber = requirePullNumber(payload, eventName);
      const approval = payload.review?.state?.toLowerCase() === 'approved';
      return { event: 'pull_request_review', mode: resolve('apply'), pullNumber, approval };
    }
    case 'push':
      if (!payload.after || !payload.ref) throw new Error('The push event payload has no "after" or "ref"');
      return {
        event: 'push',
        mode: resolve('apply'),
        sha: payload.after,
        ref: payload.ref,
        defaultBranch: payload.repository?.default_branch,
      };
    case 'workflow_dispatch':
      return { event: 'workflow_dispatch', mode: resolve('apply') };
    default:
      throw new UnsupportedEventError(eventName);
  }
}

function requirePullNumber(payload: EventPayload, eventName: string): number {
  const pullNumber = payload.pull_request?.number;
  if (typeof pullNumber !== 'number') throw new Error(`The ${eventName} event payload has no pull request`);
  return pullNumber;
}

/** Statuses whose content the pull request adds or changes (a removed file offboards nobody). */
const CHANGED_STATUSES = new Set(['added', 'modified', 'renamed', 'copied', 'changed']);

/** The offboarding files a pull request adds or changes: paths matching `globs`. */
export function offboardingFiles(files: readonly ChangedFile[], globs: readonly string[]): string[] {
  const isOffboardingFile = picomatch([...globs]);
  return files
    .filter((file) => CHANGED_STATUSES.has(file.status) && isOffboardingFile(file.path))
    .map((file) => file.path)
    .sort();
}

/**
 * Changed files that match `globs` only when case is ignored (`offboarding/x.YAML`, `Offboarding/x.yaml`):
 * most likely meant as offboarding files, but not read, so the run says so instead of skipping them silently.
 */
export function lookAlikeFiles(files: readonly ChangedFile[], globs: readonly string[]): string[] {
  const matches = picomatch([...globs]);
  const matchesIgnoringCase = picomatch([...globs], { nocase: true });
  return files
    .filter(
      (file) => CHANGED_STATUSES.has(file.status) && matchesIgnoringCase(file.path) && !matches(file.path),
    )
    .map((file) => file.path)
    .sort();
}

/** The offboarding files of a pull request, and what the listing could not cover. */
export interface PullRequestFiles {
  files: { path: string; content: string }[];
  /** Changed files GitHub did not list (it lists at most 3000): offboarding files among them were not read. */
  unlisted: number;
  /** Changed files that match manifest-paths only when case is ignored; not read. */
  lookAlikes: string[];
}

/** Reads the offboarding files of a pull request at `ref` (the commit that was reviewed and approved). */
export async function readPullRequestFiles(
  api: GitHubApi,
  pr: Pick<PullRequestInfo, 'number' | 'changedFiles'>,
  ref: string,
  globs: readonly string[],
): Promise<PullRequestFiles> {
  const changed = await api.listPullRequestFiles(pr.number);
  const files: { path: string; content: string }[] = [];
  // One request at a time, as GitHub asks of integrations to stay clear of its secondary rate limits.
  for (const path of offboardingFiles(changed, globs)) {
    files.push({ path, content: await api.readFile(path, ref) });
  }
  return {
    files,
    unlisted: Math.max(0, (pr.changedFiles ?? 0) - changed.length),
    lookAlikes: lookAlikeFiles(changed, globs),
  };
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

/** Permission levels (`GET …/collaborators/{user}/permission`) that may merge, and so may approve. */
const WRITE_PERMISSIONS = new Set(['admin', 'write']);

/**
 * Reviewers whose approval still stands on the pull request's final commit: per reviewer other than the
 * author, the latest review that expresses a decision (comments do not change a decision) must be an
 * approval of `headSha`. A later request for changes or a dismissal withdraws it; an approval of an
 * earlier commit does not vouch for what was pushed after it.
 */
export function standingApprovers(pr: PullRequestInfo, reviews: readonly Review[]): string[] {
  const latestDecision = new Map<string, Review>();
  for (const review of reviews) {
    // A bot's approval vouches for no person: a workflow token can approve whatever its workflow is told to.
    if (!review.reviewer || review.reviewer === pr.author || review.reviewerIsBot) continue;
    if (review.state === 'COMMENTED' || review.state === 'PENDING') continue;
    latestDecision.set(review.reviewer, review);
  }
  return [...latestDecision.entries()]
    .filter(([, review]) => review.state === 'APPROVED' && review.commitId === pr.headSha)
    .map(([reviewer]) => reviewer)
    .sort();
}

export interface ApprovalStatus {
  satisfied: boolean;
  /** Reviewers whose approval counts, sorted. */
  approvers: string[];
  /** One sentence for the summary, the comment and the failure. */
  message: string;
}

/**
 * Whether the pull request has `requiredApprovals` standing approvals from people (not bots) with write
 * access to the repository: on a public repository anyone can approve, and only those who could merge
 * should count.
 */
export async function checkApprovals(
  api: GitHubApi,
  pr: PullRequestInfo,
  requiredApprovals: number,
): Promise<ApprovalStatus> {
  const approvers: string[] = [];
  for (const reviewer of standingApprovers(pr, await api.listReviews(pr.number))) {
    if (WRITE_PERMISSIONS.has(await api.permissionOf(reviewer))) approvers.push(reviewer);
  }
  const satisfied = approvers.length >= requiredApprovals;
  const counted = `${approvers.length} of the ${requiredApprovals} required`;
  const message = satisfied
    ? `Pull request #${pr.number} has ${counted} approvals on its final commit ${shortSha(pr.headSha)}.`
    : `Pull request #${pr.number} has ${counted} approvals from reviewers with write access other than its ` +
      `author standing on its final commit ${shortSha(pr.headSha)}; nothing was changed.`;
  return { satisfied, approvers, message };
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** Hidden first line that identifies the action's comment, so each run updates it instead of adding one. */
export const COMMENT_MARKER = '<!-- smartsheet-offboard:sticky-comment -->';

/** Creates or updates the one comment of this action on the pull request (the latest of its own). */
export async function upsertStickyComment(
  api: GitHubApi,
  issueNumber: number,
  body: string,
): Promise<'created' | 'updated'> {
  const marked = `${COMMENT_MARKER}\n${body}`;
  for (const comment of (await ownStickyComments(api, issueNumber)).reverse()) {
    try {
      await api.updateComment(comment.id, marked);
      return 'updated';
    } catch (error) {
      if (!isForbiddenOrMissing(error)) throw error;
    }
  }
  await api.createComment(issueNumber, marked);
  return 'created';
}

/**
 * The marked comments this action wrote on the pull request, oldest first: only one written by a bot or by
 * the token's own user is ours. A token with write access may edit anyone's comment, so a comment someone
 * planted with the marker must neither be updated (its author could rewrite the plan reviewers read) nor
 * be believed.
 */
export async function ownStickyComments(api: GitHubApi, issueNumber: number): Promise<IssueComment[]> {
  const markedComments = (await api.listComments(issueNumber)).filter((comment) =>
    comment.body.startsWith(COMMENT_MARKER),
  );
  const tokenLogin = markedComments.some((comment) => !comment.authorIsBot)
    ? await api.tokenLogin()
    : undefined;
  return markedComments.filter(
    (comment) => comment.authorIsBot || (tokenLogin !== undefined && comment.author === tokenLogin),
  );
}

function isForbiddenOrMissing(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return status === 403 || status === 404;
}

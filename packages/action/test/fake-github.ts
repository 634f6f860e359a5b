import {
  type ChangedFile,
  type CommitInfo,
  type Comparison,
  type GitHubApi,
  type IssueComment,
  type IssueInfo,
  type PullRequestCommit,
  type PullRequestInfo,
  type Review,
  TreeTruncatedError,
} from '../src/github.js';

/** An in-memory GitHub for unit tests; records every call. */
export class FakeGitHub implements GitHubApi {
  readonly calls: string[] = [];
  readonly pulls = new Map<number, PullRequestInfo>();
  readonly pullFiles = new Map<number, ChangedFile[]>();
  readonly reviews = new Map<number, Review[]>();
  readonly commitPulls = new Map<string, PullRequestInfo[]>();
  readonly pullCommits = new Map<number, PullRequestCommit[]>();
  /** Keyed `${base}...${head}`; an unknown pair compares as `head` ahead of `base`, merge base `base`. */
  readonly comparisons = new Map<string, Comparison>();
  readonly commits = new Map<string, CommitInfo>();
  /** Branch name → commit SHA, for `getCommit(branch)`. */
  readonly branches = new Map<string, string>();
  defaultBranchName = 'main';
  /** The file paths of a commit's tree; a commit in `truncatedTrees` throws as GitHub's truncated listing does. */
  readonly tree = new Map<string, string[]>();
  readonly truncatedTrees = new Set<string>();
  /** Keyed `${path}@${sha}`: the commits that changed `path`, newest first; `limit` cuts them. */
  readonly pathCommits = new Map<string, string[]>();
  /** Issues (and pull requests, numbered alike) by number; a created one gets the next number. */
  readonly issues: (IssueInfo & { labels: string[]; state: 'open' | 'closed' })[] = [];
  /** Repository permission per login; anyone else has `none`. */
  readonly permissions = new Map<string, string>();
  /** Keyed `${ref}:${path}`. */
  readonly contents = new Map<string, string>();
  /** `locked` comments answer 403 to updates, like someone else's comment. */
  readonly comments: (IssueComment & { issueNumber: number; locked?: boolean })[] = [];
  /** The token's user; undefined for the workflow's own token, which comments as `github-actions[bot]`. */
  tokenUser: string | undefined;
  private nextCommentId = 100;

  async getPullRequest(pullNumber: number): Promise<PullRequestInfo> {
    this.calls.push(`getPullRequest ${pullNumber}`);
    const pr = this.pulls.get(pullNumber);
    if (!pr) throw Object.assign(new Error(`no pull request #${pullNumber}`), { status: 404 });
    return pr;
  }

  async listPullRequestFiles(pullNumber: number): Promise<ChangedFile[]> {
    this.calls.push(`listPullRequestFiles ${pullNumber}`);
    return this.pullFiles.get(pullNumber) ?? [];
  }

  async listReviews(pullNumber: number): Promise<Review[]> {
    this.calls.push(`listReviews ${pullNumber}`);
    return this.reviews.get(pullNumber) ?? [];
  }

  async listPullRequestCommits(pullNumber: number): Promise<PullRequestCommit[]> {
    this.calls.push(`listPullRequestCommits ${pullNumber}`);
    return this.pullCommits.get(pullNumber) ?? [];
  }

  async compareCommits(base: string, head: string): Promise<Comparison> {
    this.calls.push(`compareCommits ${base}...${head}`);
    return this.comparisons.get(`${base}...${head}`) ?? { status: 'ahead', mergeBase: base, commits: [head] };
  }

  async getCommit(sha: string): Promise<CommitInfo> {
    this.calls.push(`getCommit ${sha}`);
    const commit = this.commits.get(this.branches.get(sha) ?? sha);
    if (!commit) throw Object.assign(new Error(`no commit ${sha}`), { status: 404 });
    return commit;
  }

  async defaultBranch(): Promise<string> {
    this.calls.push('defaultBranch');
    return this.defaultBranchName;
  }

  async listTree(sha: string): Promise<string[]> {
    this.calls.push(`listTree ${sha}`);
    if (this.truncatedTrees.has(sha)) throw new TreeTruncatedError(sha);
    const paths = this.tree.get(sha);
    if (!paths) throw Object.assign(new Error(`no commit ${sha}`), { status: 404 });
    return paths;
  }

  async listCommitsForPath(path: string, sha: string, limit: number): Promise<string[]> {
    this.calls.push(`listCommitsForPath ${path}@${sha} ${limit}`);
    return (this.pathCommits.get(`${path}@${sha}`) ?? []).slice(0, limit);
  }

  async permissionOf(login: string): Promise<string> {
    this.calls.push(`permissionOf ${login}`);
    return this.permissions.get(login) ?? 'none';
  }

  async pullRequestsForCommit(sha: string): Promise<PullRequestInfo[]> {
    this.calls.push(`pullRequestsForCommit ${sha}`);
    return this.commitPulls.get(sha) ?? [];
  }

  async readFile(path: string, ref: string): Promise<string | undefined> {
    this.calls.push(`readFile ${path}@${ref}`);
    return this.contents.get(`${ref}:${path}`);
  }

  async listComments(issueNumber: number): Promise<IssueComment[]> {
    this.calls.push(`listComments ${issueNumber}`);
    return this.comments
      .filter((comment) => comment.issueNumber === issueNumber)
      .map(({ id, body, author }) => ({ id, body, author }));
  }

  async tokenLogin(): Promise<string | undefined> {
    this.calls.push('tokenLogin');
    return this.tokenUser;
  }

  async createComment(issueNumber: number, body: string): Promise<void> {
    this.calls.push(`createComment ${issueNumber}`);
    this.comments.push({
      id: this.nextCommentId++,
      issueNumber,
      body,
      author: this.tokenUser ?? 'github-actions[bot]',
    });
  }

  async updateComment(commentId: number, body: string): Promise<void> {
    this.calls.push(`updateComment ${commentId}`);
    const comment = this.comments.find((candidate) => candidate.id === commentId);
    if (!comment) throw Object.assign(new Error('Not Found'), { status: 404 });
    if (comment.locked) throw Object.assign(new Error('Forbidden'), { status: 403 });
    comment.body = body;
  }

  async listOpenIssues(label: string): Promise<IssueInfo[]> {
    this.calls.push(`listOpenIssues ${label}`);
    return this.issues
      .filter((issue) => issue.state === 'open' && issue.labels.includes(label))
      .sort((a, b) => a.number - b.number)
      .map(({ number, title, body, author }) => ({ number, title, body, author }));
  }

  async createIssue(title: string, body: string, labels: string[]): Promise<number> {
    this.calls.push(`createIssue ${title}`);
    const number = Math.max(0, ...this.pulls.keys(), ...this.issues.map((issue) => issue.number)) + 1;
    this.issues.push({
      number,
      title,
      body,
      labels,
      state: 'open',
      author: this.tokenUser ?? 'github-actions[bot]',
    });
    return number;
  }

  async updateIssue(
    issueNumber: number,
    change: { body?: string; state?: 'open' | 'closed' },
  ): Promise<void> {
    this.calls.push(`updateIssue ${issueNumber}`);
    const issue = this.issues.find((candidate) => candidate.number === issueNumber);
    if (!issue) throw Object.assign(new Error('Not Found'), { status: 404 });
    if (change.body !== undefined) issue.body = change.body;
    if (change.state !== undefined) issue.state = change.state;
  }
}

/** A pull request as GitHub's REST API returns it (the fields the tests set; the rest is GitHub's example). */
export interface FakePull {
  number: number;
  user: { login: string; type?: string } | null;
  head: { sha: string };
  base: { ref: string };
  merged_at: string | null;
  merge_commit_sha: string | null;
  /** Only on a single pull request (`GET pulls/{n}`), as on GitHub. */
  changed_files?: number;
  /** Open unless merged, when not given. */
  state?: 'open' | 'closed';
}

/** A commit of the fake repository: its parents (first parent first) and every file it holds. */
export interface FakeCommit {
  parents: string[];
  tree: Record<string, string>;
}

/** A commit of a pull request, as `GET pulls/{n}/commits` lists it: GitHub accounts, or null when unlinked. */
export interface FakePullCommit {
  sha: string;
  author: { login: string } | null;
  committer: { login: string } | null;
}

export interface FakeReview {
  /** Null for a review by a deleted account ("ghost"), as GitHub answers. */
  user: { login: string; type?: string } | null;
  state: string;
  /** Null when the reviewed commit no longer exists (force-pushed away). */
  commit_id: string | null;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  /** The author; comments the action creates are `github-actions[bot]`'s. */
  user?: { login: string; type: string } | null;
}

export interface FakeIssue {
  number: number;
  title: string;
  /** Null for an issue created without one, as GitHub answers. */
  body: string | null;
  /** Label names. */
  labels: string[];
  state: 'open' | 'closed';
  /** Why it was closed (or `reopened`); GitHub sets `completed` when an issue is closed without one. */
  state_reason?: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  /** The author; issues the action creates are `github-actions[bot]`'s. Null for a deleted account. */
  user: { login: string; type: string } | null;
  /** A pull request as `GET issues` lists it too: GitHub's issues API treats every pull request as an issue. */
  pull_request?: true;
}

export type FakeFile = { filename: string; status: string; previous_filename?: string };

/** What the fake GitHub API's routes answer from: the repository the tests set up (see `FakeGitHubServer`). */
export interface FakeRepository {
  readonly owner: string;
  readonly repo: string;
  readonly repositoryId: number;
  readonly pulls: Map<number, FakePull>;
  readonly files: Map<number, FakeFile[]>;
  readonly commits: Map<string, FakeCommit>;
  readonly branches: Map<string, string>;
  readonly pullCommits: Map<number, FakePullCommit[]>;
  readonly reviews: Map<number, FakeReview[]>;
  readonly commitPulls: Map<string, FakePull[]>;
  readonly permissions: Map<string, string>;
  readonly contents: Map<string, string | Uint8Array>;
  readonly comments: FakeComment[];
  readonly issues: FakeIssue[];
  readonly defaultBranch: string;
  readonly treeEntryLimit: number;
  readonly viewer: string | undefined;
}

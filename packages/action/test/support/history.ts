// A small repository history on the fake GitHub server, built the way GitHub builds it: commits, pull
// requests, reviews and merges. Shared by the end-to-end tests of the trust model and of reconcile.
import { createHash } from 'node:crypto';
import type { FakeGitHubServer, FakePull, FakePullCommit } from '@smartsheet-offboard/testkit/github-server';

export const FILE = 'offboarding/2026-11.yaml';

/** A YAML offboarding file naming these emails. */
export const yaml = (...emails: string[]) =>
  ['users:', ...emails.map((email) => `  - email: ${email}`), ''].join('\n');

let counter = 0;

export function historyOf(github: FakeGitHubServer) {
  /** A commit of the fake repository; returns its SHA. */
  function commit(parents: string[], tree: Record<string, string>): string {
    const sha = createHash('sha1').update(`commit ${counter++}`).digest('hex');
    github.commits.set(sha, { parents, tree });
    return sha;
  }

  /** main with `tree` as its only commit. */
  function mainWith(tree: Record<string, string>): string {
    const root = commit([], tree);
    github.branches.set('main', root);
    return root;
  }

  /** Alice's pull request from `head` into `base`. */
  function openPullRequest(
    number: number,
    head: string,
    options: { base?: string; commits?: FakePullCommit[] } = {},
  ): FakePull {
    const pull: FakePull = {
      number,
      user: { login: 'alice' },
      head: { sha: head },
      base: { ref: options.base ?? 'main' },
      merged_at: null,
      merge_commit_sha: null,
    };
    github.pulls.set(number, pull);
    github.reviews.set(number, []);
    if (options.commits) github.pullCommits.set(number, options.commits);
    return pull;
  }

  function review(number: number, reviewer: string, state = 'APPROVED') {
    const head = github.pulls.get(number)!.head.sha;
    github.reviews.get(number)!.push({ user: { login: reviewer }, state, commit_id: head });
  }

  /** GitHub merges the pull request into main with a merge commit (tree: the head's, unless given). */
  function merge(number: number, tree?: Record<string, string>): string {
    const pull = github.pulls.get(number)!;
    return land(pull, [github.branches.get('main')!, pull.head.sha], tree);
  }

  /** GitHub squashes the pull request into one commit on main, whose only parent is main's tip. */
  function squash(number: number, tree?: Record<string, string>): string {
    return land(github.pulls.get(number)!, [github.branches.get('main')!], tree);
  }

  /** Main moves to a new commit of these parents, which GitHub records as the pull request's merge. */
  function land(pull: FakePull, parents: string[], tree?: Record<string, string>): string {
    const landed = commit(parents, tree ?? github.commits.get(pull.head.sha)!.tree);
    pull.merged_at = '2026-11-26T12:00:00Z';
    pull.merge_commit_sha = landed;
    pull.state = 'closed';
    for (const sha of [
      ...(github.pullCommits.get(pull.number)?.map((c) => c.sha) ?? [pull.head.sha]),
      landed,
    ]) {
      github.commitPulls.set(sha, [...(github.commitPulls.get(sha) ?? []), pull]);
    }
    github.branches.set('main', landed);
    return landed;
  }

  /** A commit pushed straight onto main, with no pull request. */
  function pushToMain(tree: Record<string, string>): string {
    const sha = commit([github.branches.get('main')!], tree);
    github.branches.set('main', sha);
    return sha;
  }

  /** The tree main has now. */
  const mainTree = () => github.commits.get(github.branches.get('main')!)!.tree;

  return { commit, mainWith, openPullRequest, review, merge, squash, pushToMain, mainTree };
}

import { describe, expect, it } from 'vitest';
import type { PullRequestInfo } from '../src/github.js';
import { mergedPullRequestFor } from '../src/sources.js';
import { FakeGitHub } from './fake-github.js';

const HEAD = 'a'.repeat(40);
const pr: PullRequestInfo = { number: 7, author: 'alice', headSha: HEAD, baseRef: 'main', merged: false };

describe('mergedPullRequestFor', () => {
  it('finds the merged pull request whose merge commit is the pushed commit', async () => {
    const github = new FakeGitHub();
    const sha = 'b'.repeat(40);
    github.commitPulls.set(sha, [
      { ...pr, number: 1, merged: false },
      { ...pr, number: 2, merged: true, mergeCommitSha: 'c'.repeat(40) },
      { ...pr, number: 3, merged: true, mergeCommitSha: sha },
    ]);
    expect((await mergedPullRequestFor(github, sha, 'main'))?.number).toBe(3);
  });

  it('finds none when the pull request was merged into another branch than the pushed one', async () => {
    const github = new FakeGitHub();
    const sha = 'b'.repeat(40);
    github.commitPulls.set(sha, [{ ...pr, baseRef: 'release', merged: true, mergeCommitSha: sha }]);
    expect(await mergedPullRequestFor(github, sha, 'main')).toBeUndefined();
    expect((await mergedPullRequestFor(github, sha, 'release'))?.number).toBe(7);
  });

  it('finds none for a commit pushed directly or only contained in an open pull request', async () => {
    const github = new FakeGitHub();
    const sha = 'b'.repeat(40);
    github.commitPulls.set(sha, [{ ...pr, merged: false }]);
    expect(await mergedPullRequestFor(github, sha, 'main')).toBeUndefined();
    expect(await mergedPullRequestFor(github, 'd'.repeat(40), 'main')).toBeUndefined();
  });
});

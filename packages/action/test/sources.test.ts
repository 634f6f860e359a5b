import { describe, expect, it } from 'vitest';
import { triggerFor } from '../src/event.js';
import type { PullRequestInfo } from '../src/github.js';
import { type ActionInputs, DEFAULT_MANIFEST_PATHS } from '../src/inputs.js';
import { findSources } from '../src/sources.js';
import { FakeGitHub } from './fake-github.js';
import { testEnvironment } from './support/fixtures.js';

const BEFORE = '0b'.padEnd(40, 'b');
const HEAD = 'a'.repeat(40);
const MERGE = 'c'.repeat(40);
const STRAY = 'd'.repeat(40);
const FILE = 'offboarding/2026-11.txt';
const pr: PullRequestInfo = {
  number: 7,
  author: 'alice',
  state: 'closed',
  headSha: HEAD,
  baseRef: 'main',
  merged: true,
  mergeCommitSha: MERGE,
};
const inputs = { userIds: [], emails: [] } as unknown as ActionInputs;
const push = testEnvironment('push', {
  ref: 'refs/heads/main',
  before: BEFORE,
  after: MERGE,
  repository: { default_branch: 'main' },
});

/** main had carol; pull request #7 adds dave; its merge commit lands on main. */
function mergedRepository(mergedContent = 'carol@x.com\ndave@x.com\n'): FakeGitHub {
  const github = new FakeGitHub();
  github.pulls.set(7, pr);
  github.pullFiles.set(7, [{ path: FILE, status: 'modified' }]);
  github.comparisons.set(`${BEFORE}...${MERGE}`, {
    status: 'ahead',
    mergeBase: BEFORE,
    commits: [HEAD, MERGE],
  });
  github.comparisons.set(`${BEFORE}...${HEAD}`, { status: 'ahead', mergeBase: BEFORE, commits: [HEAD] });
  github.commits.set(HEAD, { sha: HEAD, parents: [BEFORE], files: [{ path: FILE, status: 'modified' }] });
  github.commits.set(MERGE, {
    sha: MERGE,
    parents: [BEFORE, HEAD],
    files: [{ path: FILE, status: 'modified' }],
  });
  github.commitPulls.set(HEAD, [pr]);
  github.commitPulls.set(MERGE, [pr]);
  github.contents.set(`${BEFORE}:${FILE}`, 'carol@x.com\n');
  github.contents.set(`${HEAD}:${FILE}`, 'carol@x.com\ndave@x.com\n');
  github.contents.set(`${MERGE}:${FILE}`, mergedContent);
  return github;
}

const sourcesOf = (github: FakeGitHub, environment = push, given = inputs) =>
  findSources(triggerFor(environment, 'auto'), given, { environment, github }, DEFAULT_MANIFEST_PATHS);

describe('findSources on push', () => {
  it('finds the merged pull request and its files at its merge base and final commit', async () => {
    const sources = await sourcesOf(mergedRepository());
    expect(sources.kind).toBe('pull-requests');
    if (sources.kind !== 'pull-requests') return;
    expect(sources.changes.map((change) => [change.pr.number, change.mergeBase])).toEqual([[7, BEFORE]]);
    expect(sources.changes[0]?.files).toEqual({
      before: [{ path: FILE, content: 'carol@x.com\n' }],
      after: [{ path: FILE, content: 'carol@x.com\ndave@x.com\n' }],
    });
  });

  it('refuses the whole push when a commit changing offboarding files belongs to no merged pull request', async () => {
    const github = mergedRepository();
    github.comparisons.set(`${BEFORE}...${MERGE}`, {
      status: 'ahead',
      mergeBase: BEFORE,
      commits: [STRAY, HEAD, MERGE],
    });
    github.commits.set(STRAY, {
      sha: STRAY,
      parents: [BEFORE],
      files: [{ path: 'offboarding/x.txt', status: 'added' }],
    });
    github.commitPulls.set(STRAY, [
      { ...pr, number: 9, merged: false, state: 'open', mergeCommitSha: undefined },
    ]);
    const sources = await sourcesOf(github);
    expect(sources).toMatchObject({ kind: 'refusal' });
    expect(sources.kind === 'refusal' && sources.message).toContain(
      'Commit ddddddd changes offboarding/x.txt but belongs to no pull request merged into main',
    );
  });

  it('refuses when the merge adds other entries than the approved head did', async () => {
    const sources = await sourcesOf(mergedRepository('carol@x.com\ndave@x.com\nmallory-target@x.com\n'));
    expect(sources.kind === 'refusal' && sources.message).toContain('update the branch and approve again');
  });

  it('refuses the user-ids and emails inputs outside workflow_dispatch', async () => {
    const sources = await sourcesOf(mergedRepository(), push, { ...inputs, emails: ['x@x.com'] });
    expect(sources.kind === 'refusal' && sources.message).toContain(
      "Input 'emails' is read only on workflow_dispatch",
    );
  });
});

describe('findSources on pull_request_review', () => {
  const review = (base = 'main') =>
    testEnvironment('pull_request_review', {
      pull_request: { number: 7 },
      review: { state: 'approved' },
      repository: { default_branch: base },
    });

  it('applies only an open pull request based on the default branch (attack 7)', async () => {
    const github = mergedRepository();
    expect(await sourcesOf(github, review())).toMatchObject({ kind: 'refusal' });
    github.pulls.set(7, { ...pr, state: 'open', merged: false, baseRef: 'release' });
    const sources = await sourcesOf(github, review());
    expect(sources.kind === 'refusal' && sources.message).toContain(
      'based on release, not on the default branch main',
    );
    github.pulls.set(7, { ...pr, state: 'open', merged: false });
    expect((await sourcesOf(github, review())).kind).toBe('pull-requests');
  });
});

import { describe, expect, it } from 'vitest';
import { checkApprovals, decideApprovals, MAX_LISTED_COMMITS } from '../src/approvals.js';
import type { PullRequestCommit, PullRequestInfo, Review } from '../src/github.js';
import { FakeGitHub } from './fake-github.js';

const HEAD = 'a'.repeat(40);
const pr: PullRequestInfo = {
  number: 7,
  author: 'alice',
  state: 'open',
  headSha: HEAD,
  baseRef: 'main',
  merged: false,
};
const approved = (reviewer: string, commitId = HEAD): Review => ({ reviewer, state: 'APPROVED', commitId });
const byAlice: PullRequestCommit[] = [{ sha: HEAD, author: 'alice', committer: 'alice' }];
const writers = new Set(['alice', 'bob', 'carol', 'dan', 'github-actions[bot]']);
const approversOf = (reviews: Review[], commits = byAlice, canWrite = writers) =>
  decideApprovals(pr, reviews, commits, canWrite, 1).approvers;

describe('decideApprovals', () => {
  it('counts an approval of the final commit by a writer who wrote none of it', () => {
    expect(decideApprovals(pr, [approved('bob')], byAlice, writers, 1)).toMatchObject({
      satisfied: true,
      approvers: ['bob'],
    });
  });

  it('does not count a co-author: someone who pushed a commit to the pull request and approved it (attack 1)', () => {
    const commits = [...byAlice, { sha: 'c'.repeat(40), author: 'bob', committer: 'bob' }];
    const status = decideApprovals(pr, [approved('bob')], commits, writers, 1);
    expect(status).toMatchObject({ satisfied: false, approvers: [], contributorsApproving: ['bob'] });
    expect(status.message).toContain('bob, who authored or committed some of its commits');
    // Committing someone else's authored commit counts as writing it too.
    expect(approversOf([approved('bob')], [{ sha: HEAD, author: 'alice', committer: 'bob' }])).toEqual([]);
  });

  it('a colleague’s or a bot’s pull request: its author is not the only one excluded', () => {
    const botPr = { ...pr, author: 'renovate[bot]', authorIsBot: true };
    const commits = [
      { sha: HEAD, author: 'renovate[bot]' },
      { sha: 'd'.repeat(40), author: 'bob' },
    ];
    expect(
      decideApprovals(botPr, [approved('bob'), approved('carol')], commits, writers, 2).approvers,
    ).toEqual(['carol']);
  });

  it('ignores approvals by bots, by the author, by readers, and of earlier commits', () => {
    expect(
      approversOf([
        { ...approved('github-actions[bot]'), reviewerIsBot: true },
        approved('alice'),
        approved('eve'),
        approved('dan', 'e'.repeat(40)),
      ]),
    ).toEqual([]);
  });

  it('refuses on a standing request for changes by another writer (attack 5)', () => {
    const status = decideApprovals(
      pr,
      [approved('bob'), { reviewer: 'carol', state: 'CHANGES_REQUESTED', commitId: HEAD }],
      byAlice,
      writers,
      1,
    );
    expect(status).toMatchObject({ satisfied: false, approvers: ['bob'], changesRequestedBy: ['carol'] });
    expect(status.message).toContain('standing request for changes from carol');
  });

  it('a request for changes stands on any commit, and is lifted only by the same reviewer deciding again', () => {
    const requested: Review = { reviewer: 'carol', state: 'CHANGES_REQUESTED', commitId: 'e'.repeat(40) };
    expect(decideApprovals(pr, [requested, approved('bob')], byAlice, writers, 1).satisfied).toBe(false);
    expect(
      decideApprovals(
        pr,
        [requested, approved('bob'), { reviewer: 'carol', state: 'COMMENTED' }],
        byAlice,
        writers,
        1,
      ).satisfied,
    ).toBe(false);
    expect(
      decideApprovals(pr, [requested, approved('bob'), approved('carol')], byAlice, writers, 1),
    ).toMatchObject({
      satisfied: true,
      approvers: ['bob', 'carol'],
    });
    expect(
      decideApprovals(
        pr,
        [requested, approved('bob'), { ...requested, state: 'DISMISSED' }],
        byAlice,
        writers,
        1,
      ).satisfied,
    ).toBe(true);
  });

  it('a request for changes from someone without write access does not refuse', () => {
    const fromReader: Review = { reviewer: 'eve', state: 'CHANGES_REQUESTED', commitId: HEAD };
    expect(decideApprovals(pr, [fromReader, approved('bob')], byAlice, writers, 1).satisfied).toBe(true);
  });

  it('withdraws an approval followed by a request for changes or a dismissal, keeps one followed by comments', () => {
    expect(approversOf([approved('bob'), { reviewer: 'bob', state: 'DISMISSED', commitId: HEAD }])).toEqual(
      [],
    );
    expect(approversOf([approved('bob'), { reviewer: 'bob', state: 'COMMENTED', commitId: HEAD }])).toEqual([
      'bob',
    ]);
    expect(approversOf([approved('carol'), approved('bob'), approved('bob')])).toEqual(['bob', 'carol']);
  });

  it('ignores reviews by deleted accounts (no user)', () => {
    expect(approversOf([{ state: 'APPROVED', commitId: HEAD }])).toEqual([]);
  });
});

describe('checkApprovals', () => {
  function github(reviews: Review[], commits: PullRequestCommit[], permissions: Record<string, string>) {
    const fake = new FakeGitHub();
    fake.reviews.set(7, reviews);
    fake.pullCommits.set(7, commits);
    for (const [login, permission] of Object.entries(permissions)) fake.permissions.set(login, permission);
    return fake;
  }

  it('asks for the reviews, the commits and each reviewer’s permission', async () => {
    const fake = github([approved('bob'), approved('olga'), approved('eve')], byAlice, {
      bob: 'write',
      olga: 'admin',
      eve: 'read',
    });
    const status = await checkApprovals(fake, pr, 2);
    expect(status).toMatchObject({ satisfied: true, approvers: ['bob', 'olga'] });
    expect(status.message).toBe(
      'Pull request #7 has 2 of the 2 required approvals on its final commit aaaaaaa.',
    );
    expect(fake.calls).toEqual([
      'listReviews 7',
      'listPullRequestCommits 7',
      'permissionOf bob',
      'permissionOf olga',
      'permissionOf eve',
    ]);
  });

  it('refuses a pull request with more commits than GitHub lists', async () => {
    const many = Array.from({ length: MAX_LISTED_COMMITS }, (_, i) => ({ sha: String(i).padStart(40, '0') }));
    const status = await checkApprovals(github([approved('bob')], many, { bob: 'write' }), pr, 1);
    expect(status.satisfied).toBe(false);
    expect(status.message).toContain('more than GitHub lists');
  });
});

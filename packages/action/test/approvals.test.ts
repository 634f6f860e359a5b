import { describe, expect, it } from 'vitest';
import { checkApprovals, standingApprovers } from '../src/approvals.js';
import type { PullRequestInfo, Review } from '../src/github.js';
import { FakeGitHub } from './fake-github.js';

const HEAD = 'a'.repeat(40);
const pr: PullRequestInfo = { number: 7, author: 'alice', headSha: HEAD, baseRef: 'main', merged: false };

describe('standingApprovers', () => {
  const approved = (reviewer: string, commitId = HEAD): Review => ({ reviewer, state: 'APPROVED', commitId });

  it('counts an approval of the final commit by someone other than the author', () => {
    expect(standingApprovers(pr, [approved('bob')])).toEqual(['bob']);
  });

  it('ignores an approval by a bot, such as a workflow token told to approve', () => {
    expect(
      standingApprovers(pr, [{ ...approved('github-actions[bot]'), reviewerIsBot: true }, approved('bob')]),
    ).toEqual(['bob']);
  });

  it("ignores the author's own approval", () => {
    expect(standingApprovers(pr, [approved('alice')])).toEqual([]);
  });

  it('ignores an approval of an earlier commit', () => {
    expect(standingApprovers(pr, [approved('bob', 'e'.repeat(40))])).toEqual([]);
  });

  it('withdraws an approval followed by a request for changes from the same reviewer', () => {
    expect(
      standingApprovers(pr, [
        approved('bob'),
        { reviewer: 'bob', state: 'CHANGES_REQUESTED', commitId: HEAD },
      ]),
    ).toEqual([]);
  });

  it('withdraws a dismissed approval', () => {
    expect(standingApprovers(pr, [{ ...approved('bob'), state: 'DISMISSED' }])).toEqual([]);
  });

  it('keeps an approval followed only by comments, and one that replaced a request for changes', () => {
    const reviews: Review[] = [
      { reviewer: 'bob', state: 'CHANGES_REQUESTED', commitId: HEAD },
      approved('bob'),
      { reviewer: 'bob', state: 'COMMENTED', commitId: HEAD },
    ];
    expect(standingApprovers(pr, reviews)).toEqual(['bob']);
  });

  it('does not count a request for changes by one reviewer against the approval of another', () => {
    const reviews: Review[] = [
      approved('bob'),
      { reviewer: 'carol', state: 'CHANGES_REQUESTED', commitId: HEAD },
    ];
    expect(standingApprovers(pr, reviews)).toEqual(['bob']);
  });

  it('names each reviewer once, sorted', () => {
    expect(standingApprovers(pr, [approved('carol'), approved('bob'), approved('bob')])).toEqual([
      'bob',
      'carol',
    ]);
  });
});

describe('checkApprovals', () => {
  const approved = (reviewer: string): Review => ({ reviewer, state: 'APPROVED', commitId: HEAD });
  function withReviews(reviews: Review[], permissions: Record<string, string>): FakeGitHub {
    const github = new FakeGitHub();
    github.reviews.set(7, reviews);
    for (const [login, permission] of Object.entries(permissions)) github.permissions.set(login, permission);
    return github;
  }

  it('is satisfied by enough standing approvals from people with write access', async () => {
    const github = withReviews([approved('bob'), approved('olga')], { bob: 'write', olga: 'admin' });
    expect(await checkApprovals(github, pr, 2)).toEqual({
      satisfied: true,
      approvers: ['bob', 'olga'],
      message: 'Pull request #7 has 2 of the 2 required approvals on its final commit aaaaaaa.',
    });
  });

  it('does not count approvals from people who could not merge: on a public repository anyone can approve', async () => {
    const github = withReviews([approved('mallory'), approved('rita'), approved('bob')], {
      rita: 'read',
      bob: 'write',
    });
    const status = await checkApprovals(github, pr, 2);
    expect(status.approvers).toEqual(['bob']);
    expect(status.satisfied).toBe(false);
    expect(status.message).toBe(
      'Pull request #7 has 1 of the 2 required approvals from reviewers with write access other than its author ' +
        'standing on its final commit aaaaaaa; nothing was changed.',
    );
  });

  it('asks about the permission of standing approvers only', async () => {
    const github = withReviews(
      [approved('alice'), { ...approved('carol'), commitId: 'e'.repeat(40) }, approved('bob')],
      {
        bob: 'write',
      },
    );
    await checkApprovals(github, pr, 1);
    expect(github.calls.filter((call) => call.startsWith('permissionOf'))).toEqual(['permissionOf bob']);
  });
});

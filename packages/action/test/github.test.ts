import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMMENT_MARKER,
  checkApprovals,
  type GitHubApi,
  lookAlikeFiles,
  mergedPullRequestFor,
  offboardingFiles,
  type PullRequestInfo,
  type Review,
  readEnvironment,
  readPullRequestFiles,
  standingApprovers,
  triggerFor,
  UnsupportedEventError,
  upsertStickyComment,
} from '../src/github.js';
import { DEFAULT_MANIFEST_PATHS } from '../src/inputs.js';
import { FakeGitHub } from './fake-github.js';
import { testEnvironment } from './support/fixtures.js';

const HEAD = 'a'.repeat(40);
const pr: PullRequestInfo = { number: 7, author: 'alice', headSha: HEAD, baseRef: 'main', merged: false };

describe('readEnvironment', () => {
  it('reads the runner variables and the event payload', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'offboard-env-'));
    const eventPath = join(dir, 'event.json');
    await writeFile(eventPath, JSON.stringify({ pull_request: { number: 3 } }));
    const env = await readEnvironment({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'acme/people',
      GITHUB_RUN_ID: '99',
      GITHUB_WORKSPACE: dir,
      RUNNER_TEMP: dir,
    });
    expect(env).toMatchObject({
      eventName: 'pull_request',
      payload: { pull_request: { number: 3 } },
      repository: { owner: 'acme', repo: 'people' },
      runId: '99',
      runAttempt: '1',
      serverUrl: 'https://github.com',
      workspace: dir,
      runnerTemp: dir,
    });
  });
});

describe('triggerFor', () => {
  it('plans on pull_request and applies on the other events in auto mode', () => {
    expect(triggerFor(testEnvironment('pull_request', { pull_request: { number: 7 } }), 'auto')).toEqual({
      event: 'pull_request',
      mode: 'plan',
      pullNumber: 7,
    });
    expect(
      triggerFor(
        testEnvironment('push', {
          ref: 'refs/heads/main',
          after: HEAD,
          repository: { default_branch: 'main' },
        }),
        'auto',
      ),
    ).toEqual({ event: 'push', mode: 'apply', sha: HEAD, ref: 'refs/heads/main', defaultBranch: 'main' });
    expect(
      triggerFor(
        testEnvironment('pull_request_review', {
          pull_request: { number: 7 },
          review: { state: 'approved' },
        }),
        'auto',
      ),
    ).toEqual({ event: 'pull_request_review', mode: 'apply', pullNumber: 7, approval: true });
    expect(triggerFor(testEnvironment('workflow_dispatch', {}), 'auto')).toEqual({
      event: 'workflow_dispatch',
      mode: 'apply',
    });
  });

  it('lets the mode input override auto', () => {
    expect(triggerFor(testEnvironment('workflow_dispatch', {}), 'plan').mode).toBe('plan');
    expect(triggerFor(testEnvironment('pull_request', { pull_request: { number: 1 } }), 'apply').mode).toBe(
      'apply',
    );
  });

  it('marks a review that is not an approval', () => {
    const trigger = triggerFor(
      testEnvironment('pull_request_review', { pull_request: { number: 7 }, review: { state: 'commented' } }),
      'auto',
    );
    expect(trigger).toMatchObject({ approval: false });
  });

  it('names the supported events when the event is not one of them', () => {
    const run = () => triggerFor(testEnvironment('issue_comment', {}), 'auto');
    expect(run).toThrow(UnsupportedEventError);
    expect(run).toThrow(
      "does not handle the 'issue_comment' event; run it on pull_request, push, pull_request_review, workflow_dispatch",
    );
  });

  it('refuses payloads without the fields it needs', () => {
    expect(() => triggerFor(testEnvironment('pull_request', {}), 'auto')).toThrow('has no pull request');
    expect(() => triggerFor(testEnvironment('push', { ref: 'refs/heads/main' }), 'auto')).toThrow('"after"');
  });
});

describe('offboardingFiles', () => {
  it('keeps added, modified and renamed files that match the globs, never removed ones', () => {
    const files = offboardingFiles(
      [
        { path: 'offboarding/b.yaml', status: 'added' },
        { path: 'offboarding/2026/a.csv', status: 'modified' },
        { path: 'offboarding/old.txt', status: 'removed' },
        { path: 'offboarding/renamed.json', status: 'renamed' },
        { path: 'offboarding/notes.md', status: 'added' },
        { path: 'src/offboarding/x.yaml', status: 'added' },
        { path: 'README.md', status: 'modified' },
      ],
      DEFAULT_MANIFEST_PATHS,
    );
    expect(files).toEqual(['offboarding/2026/a.csv', 'offboarding/b.yaml', 'offboarding/renamed.json']);
  });
});

describe('lookAlikeFiles', () => {
  it('names changed files that match the globs only when case is ignored', () => {
    const files = lookAlikeFiles(
      [
        { path: 'offboarding/b.YAML', status: 'added' },
        { path: 'Offboarding/c.yaml', status: 'modified' },
        { path: 'offboarding/ok.yaml', status: 'added' },
        { path: 'offboarding/old.YML', status: 'removed' },
        { path: 'offboarding/README.md', status: 'added' },
      ],
      DEFAULT_MANIFEST_PATHS,
    );
    expect(files).toEqual(['Offboarding/c.yaml', 'offboarding/b.YAML']);
  });
});

describe('readPullRequestFiles', () => {
  it('reads only the matching files, at the given commit', async () => {
    const github = new FakeGitHub();
    github.pullFiles.set(
      7,
      Array.from({ length: 250 }, (_, i) => ({ path: `docs/${i}.md`, status: 'added' })).concat([
        { path: 'offboarding/late.yaml', status: 'added' },
      ]),
    );
    github.contents.set(`${HEAD}:offboarding/late.yaml`, 'users:\n  - 1\n');
    const read = await readPullRequestFiles(
      github,
      { number: 7, changedFiles: 251 },
      HEAD,
      DEFAULT_MANIFEST_PATHS,
    );
    expect(read).toEqual({
      files: [{ path: 'offboarding/late.yaml', content: 'users:\n  - 1\n' }],
      unlisted: 0,
      lookAlikes: [],
    });
    expect(github.calls.filter((call) => call.startsWith('readFile'))).toEqual([
      `readFile offboarding/late.yaml@${HEAD}`,
    ]);
  });

  it('counts the changed files GitHub left out of the list (it lists at most 3000)', async () => {
    const github = new FakeGitHub();
    github.pullFiles.set(
      7,
      Array.from({ length: 3000 }, (_, i) => ({ path: `docs/${i}.md`, status: 'added' })),
    );
    const read = await readPullRequestFiles(
      github,
      { number: 7, changedFiles: 3002 },
      HEAD,
      DEFAULT_MANIFEST_PATHS,
    );
    expect(read.unlisted).toBe(2);
  });
});

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

describe('upsertStickyComment', () => {
  it('creates the comment once, then updates it', async () => {
    const github = new FakeGitHub();
    github.comments.push({ id: 1, issueNumber: 7, body: 'LGTM' });
    expect(await upsertStickyComment(github, 7, 'first')).toBe('created');
    expect(await upsertStickyComment(github, 7, 'second')).toBe('updated');
    const ours = github.comments.filter((comment) => comment.body.startsWith(COMMENT_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toBe(`${COMMENT_MARKER}\nsecond`);
    expect(github.comments.find((comment) => comment.id === 1)?.body).toBe('LGTM');
  });

  it('never updates a marked comment written by a person other than the token user', async () => {
    const github = new FakeGitHub();
    // Someone planted the marker: updating it would let them edit the plan the reviewers read.
    github.comments.push({ id: 1, issueNumber: 7, body: `${COMMENT_MARKER}\nplanted`, author: 'mallory' });
    expect(await upsertStickyComment(github, 7, 'real')).toBe('created');
    expect(github.calls).not.toContain('updateComment 1');
    expect(github.comments.map((comment) => [comment.author, comment.body])).toEqual([
      ['mallory', `${COMMENT_MARKER}\nplanted`],
      ['github-actions[bot]', `${COMMENT_MARKER}\nreal`],
    ]);
    expect(await upsertStickyComment(github, 7, 'again')).toBe('updated');
    expect(github.comments[1]!.body).toBe(`${COMMENT_MARKER}\nagain`);
  });

  it("updates the token user's own comment when the token is a person's", async () => {
    const github = new FakeGitHub();
    github.tokenUser = 'offboard-bot-account';
    github.comments.push({ id: 1, issueNumber: 7, body: `${COMMENT_MARKER}\nplanted`, author: 'mallory' });
    github.comments.push({
      id: 2,
      issueNumber: 7,
      body: `${COMMENT_MARKER}\nold`,
      author: 'offboard-bot-account',
    });
    expect(await upsertStickyComment(github, 7, 'new')).toBe('updated');
    expect(github.comments.map((comment) => comment.body)).toEqual([
      `${COMMENT_MARKER}\nplanted`,
      `${COMMENT_MARKER}\nnew`,
    ]);
  });

  it("creates a new comment when the marked one is someone else's and may not be edited", async () => {
    const github = new FakeGitHub();
    github.comments.push({
      id: 1,
      issueNumber: 7,
      body: `${COMMENT_MARKER}\nforged`,
      author: 'other[bot]',
      authorIsBot: true,
      locked: true,
    });
    expect(await upsertStickyComment(github, 7, 'real')).toBe('created');
    expect(github.comments.map((comment) => comment.body)).toEqual([
      `${COMMENT_MARKER}\nforged`,
      `${COMMENT_MARKER}\nreal`,
    ]);
  });

  it('passes on other errors', async () => {
    const github: GitHubApi = Object.assign(new FakeGitHub(), {
      listComments: async () => {
        throw Object.assign(new Error('boom'), { status: 500 });
      },
    });
    await expect(upsertStickyComment(github, 7, 'x')).rejects.toThrow('boom');
  });
});

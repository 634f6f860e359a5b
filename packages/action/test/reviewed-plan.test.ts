import { describe, expect, it } from 'vitest';
import type { GitHubApi } from '../src/github.js';
import { COMMENT_MARKER, upsertStickyComment } from '../src/reviewed-plan.js';
import { FakeGitHub } from './fake-github.js';

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

  it('never believes nor updates a marked comment by another app (attack 10)', async () => {
    const github = new FakeGitHub();
    github.comments.push({
      id: 1,
      issueNumber: 7,
      body: `${COMMENT_MARKER}\nforged`,
      author: 'other[bot]',
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

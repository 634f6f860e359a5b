import { afterAll, describe, expect, it } from 'vitest';
import { FakeGitHubServer } from '../src/github-server.js';

const github = await new FakeGitHubServer('acme', 'people').start();
afterAll(() => github.stop());

const get = async (path: string) => {
  const response = await fetch(`${github.url}${path}`, { headers: { accept: 'application/vnd.github.raw' } });
  return { status: response.status, link: response.headers.get('link'), body: await response.text() };
};

describe('FakeGitHubServer', () => {
  it('pages lists with Link headers, as GitHub does', async () => {
    github.reset();
    github.reviews.set(
      1,
      Array.from({ length: 3 }, (_, index) => ({
        user: { login: `reviewer${index}` },
        state: 'APPROVED',
        commit_id: 'a'.repeat(40),
      })),
    );
    const first = await get('/repos/acme/people/pulls/1/reviews?per_page=2');
    expect(JSON.parse(first.body)).toHaveLength(2);
    expect(first.link).toMatch(/page=2>; rel="next"/);
    const second = await get('/repos/acme/people/pulls/1/reviews?per_page=2&page=2');
    expect(JSON.parse(second.body)).toHaveLength(1);
    expect(second.link).toBeNull();
  });

  it('forgets everything a test set up on reset()', async () => {
    github.pulls.set(2, {
      number: 2,
      user: { login: 'alice' },
      head: { sha: 'a'.repeat(40) },
      base: { ref: 'main' },
      merged_at: null,
      merge_commit_sha: null,
    });
    github.files.set(2, [{ filename: 'offboarding/a.txt', status: 'added' }]);
    github.reviews.set(2, [{ user: { login: 'bob' }, state: 'APPROVED', commit_id: 'a'.repeat(40) }]);
    github.commitPulls.set('b'.repeat(40), []);
    github.permissions.set('bob', 'write');
    github.contents.set(`${'a'.repeat(40)}:offboarding/a.txt`, 'jane@example.com\n');
    github.comments.push({ id: 1, issueNumber: 2, body: 'old' });
    github.viewer = 'offboard-bot';
    expect((await get('/repos/acme/people/pulls/2')).status).toBe(200);

    github.reset();

    expect((await get('/repos/acme/people/pulls/2')).status).toBe(404);
    expect((await get('/repos/acme/people/collaborators/bob/permission')).status).toBe(404);
    expect((await get(`/repos/acme/people/contents/offboarding/a.txt?ref=${'a'.repeat(40)}`)).status).toBe(
      404,
    );
    expect((await get('/user')).status).toBe(403);
    for (const map of [github.pulls, github.files, github.reviews, github.commitPulls, github.permissions])
      expect(map.size).toBe(0);
    expect(github.comments).toEqual([]);
    // Only the requests made since the reset are remembered.
    expect(github.requests.map((request) => request.path)).toEqual([
      '/repos/acme/people/pulls/2',
      '/repos/acme/people/collaborators/bob/permission',
      '/repos/acme/people/contents/offboarding/a.txt',
      '/user',
    ]);
  });
});

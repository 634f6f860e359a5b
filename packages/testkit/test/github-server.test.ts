import { afterAll, describe, expect, it } from 'vitest';
import { FakeGitHubServer } from '../src/github-server.js';

const github = await new FakeGitHubServer('acme', 'people').start();
afterAll(() => github.stop());

/** A GET as Octokit sends it: file contents raw, everything else as JSON. */
const get = async (path: string) => {
  const accept = path.includes('/contents/') ? 'application/vnd.github.raw' : 'application/vnd.github+json';
  const response = await fetch(`${github.url}${path}`, { headers: { accept } });
  return { status: response.status, body: await response.text() };
};

describe('FakeGitHubServer', () => {
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

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
/** The JSON GitHub answers a request with, and its status. */
const call = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers: { accept: 'application/vnd.github+json', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as never };
};
const sha = (name: string) => name.padEnd(40, '0');

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
    github.issues.push({ number: 3, title: 'Drift', body: '', labels: [], state: 'open', user: null });
    github.commits.set(sha('a'), { parents: [], tree: { 'a.txt': 'x' } });
    github.branches.set('trunk', sha('a'));
    github.defaultBranch = 'trunk';
    github.treeEntryLimit = 0;
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
    expect(github.issues).toEqual([]);
    expect([github.commits.size, github.branches.size]).toEqual([0, 0]);
    expect([github.defaultBranch, github.treeEntryLimit]).toEqual(['main', 100_000]);
    // Only the requests made since the reset are remembered.
    expect(github.requests.map((request) => request.path)).toEqual([
      '/repos/acme/people/pulls/2',
      '/repos/acme/people/collaborators/bob/permission',
      '/repos/acme/people/contents/offboarding/a.txt',
      '/user',
    ]);
  });
});

describe('FakeGitHubServer history', () => {
  // o adds a.txt; main changes it in a, a feature branch in b (adding b.txt); m merges b into a taking b's
  // a.txt; c changes only b.txt; d changes a.txt again.
  const history = () => {
    github.reset();
    github.commits.set(sha('o'), { parents: [], tree: { 'a.txt': '1' } });
    github.commits.set(sha('a'), { parents: [sha('o')], tree: { 'a.txt': '2' } });
    github.commits.set(sha('b'), { parents: [sha('o')], tree: { 'a.txt': '3', 'b.txt': 'b' } });
    github.commits.set(sha('m'), { parents: [sha('a'), sha('b')], tree: { 'a.txt': '3', 'b.txt': 'b' } });
    github.commits.set(sha('c'), { parents: [sha('m')], tree: { 'a.txt': '3', 'b.txt': 'c' } });
    github.commits.set(sha('d'), { parents: [sha('c')], tree: { 'a.txt': '4', 'b.txt': 'c' } });
    github.branches.set('trunk', sha('d'));
    github.defaultBranch = 'trunk';
  };
  const shas = (answer: { json: { sha: string }[] }) => answer.json.map((commit) => commit.sha[0]).join('');

  it('lists the commits that changed a file, every child before its parents, from the default branch', async () => {
    history();
    // The merge counts: its a.txt differs from its first parent's.
    expect(shas(await call('GET', '/repos/acme/people/commits?path=a.txt'))).toBe('dmbao');
    // GitHub would leave the merge out here (its b.txt is the feature branch's); the fake compares with the
    // first parent only.
    expect(shas(await call('GET', `/repos/acme/people/commits?path=b.txt&sha=${sha('d')}`))).toBe('cmb');
    expect(shas(await call('GET', `/repos/acme/people/commits?sha=${sha('m')}`))).toBe('mbao');
    const paged = await fetch(`${github.url}/repos/acme/people/commits?path=a.txt&per_page=2`);
    expect(paged.headers.get('link')).toContain(`/repositories/${github.repositoryId}/commits?path=a.txt`);
    expect((await call('GET', '/repos/acme/people/commits?sha=gone')).status).toBe(404);
    expect(github.violations).toEqual([]);
  });

  it('resolves a branch for a commit, and names the repository’s default branch', async () => {
    history();
    const commit = await call('GET', '/repos/acme/people/commits/trunk');
    expect(commit).toMatchObject({ status: 200, json: { sha: sha('d'), parents: [{ sha: sha('c') }] } });
    expect((await call('GET', '/repos/acme/people')).json).toMatchObject({
      full_name: 'acme/people',
      default_branch: 'trunk',
    });
    expect(github.violations).toEqual([]);
  });

  it('lists a tree: its top level, or every folder before what it holds, truncated past the limit', async () => {
    github.reset();
    const tree = {
      'z.txt': 'z',
      'offboarding/b.yaml': 'b',
      'offboarding.md': 'm',
      'offboarding/x/a.csv': 'a',
    };
    github.commits.set(sha('t'), { parents: [], tree });
    type Listing = { json: { tree: { path: string; type: string; size?: number }[]; truncated: boolean } };
    const listing = async (query: string) =>
      ((await call('GET', `/repos/acme/people/git/trees/${sha('t')}${query}`)) as Listing).json;
    const top = await listing('');
    expect(top.tree.map((entry) => `${entry.type} ${entry.path}`)).toEqual([
      'blob offboarding.md',
      'tree offboarding',
      'blob z.txt',
    ]);
    // GitHub recurses for any value of `recursive`.
    const all = await listing('?recursive=0');
    expect(all.tree.map((entry) => entry.path)).toEqual([
      'offboarding.md',
      'offboarding',
      'offboarding/b.yaml',
      'offboarding/x',
      'offboarding/x/a.csv',
      'z.txt',
    ]);
    expect(all.tree[0]).toMatchObject({ size: 1, mode: '100644' });
    expect(all.tree[1]).not.toHaveProperty('size');
    expect(all.truncated).toBe(false);
    github.treeEntryLimit = 2;
    expect(await listing('?recursive=1')).toMatchObject({ truncated: true, tree: all.tree.slice(0, 2) });
    expect((await call('GET', '/repos/acme/people/git/trees/unknown')).status).toBe(404);
    expect(github.violations).toEqual([]);
  });
});

describe('FakeGitHubServer issues', () => {
  type Issue = { number: number; state: string; state_reason: string | null; labels: { name: string }[] };
  const list = async (query: string) =>
    ((await call('GET', `/repos/acme/people/issues?${query}`)) as { json: Issue[] }).json;

  it('creates issues after the pull requests’ numbers, lists them by label and state, updates and closes them', async () => {
    github.reset();
    github.pulls.set(4, {
      number: 4,
      user: { login: 'alice' },
      head: { sha: sha('h') },
      base: { ref: 'main' },
      merged_at: null,
      merge_commit_sha: null,
    });
    github.issues.push({
      number: 4,
      title: 'A pull request',
      body: '',
      labels: ['drift'],
      state: 'open',
      user: { login: 'alice', type: 'User' },
      pull_request: true,
    });
    const created = await call('POST', '/repos/acme/people/issues', {
      title: 'Drifted users',
      body: 'one',
      labels: ['drift', 'offboarding'],
    });
    expect(created).toMatchObject({
      status: 201,
      json: { number: 5, state: 'open', user: { login: 'github-actions[bot]', type: 'Bot' } },
    });
    expect(created.json).not.toHaveProperty('pull_request');
    await call('POST', '/repos/acme/people/issues', { title: 'Other', labels: [{ name: 'other' }] });
    expect(github.issues.at(-1)).toMatchObject({ number: 6, body: null, labels: ['other'] });

    // Newest first unless asked; the pull request among them, marked.
    const drift = await list('labels=drift');
    expect(drift.map((issue) => issue.number)).toEqual([5, 4]);
    expect(drift[1]).toHaveProperty('pull_request.url', expect.stringContaining('/pulls/4'));
    expect((await list('labels=drift,offboarding&direction=asc')).map((issue) => issue.number)).toEqual([5]);
    expect((await list('direction=asc')).map((issue) => issue.number)).toEqual([4, 5, 6]);

    expect(await call('PATCH', '/repos/acme/people/issues/5', { body: 'two' })).toMatchObject({
      status: 200,
      json: { body: 'two', state: 'open' },
    });
    await call('PATCH', '/repos/acme/people/issues/5', { state: 'closed' });
    expect(github.issues.find((issue) => issue.number === 5)).toMatchObject({
      body: 'two',
      state: 'closed',
      state_reason: 'completed',
    });
    expect((await list('labels=drift')).map((issue) => issue.number)).toEqual([4]);
    expect((await list('labels=drift&state=closed'))[0]).toMatchObject({
      number: 5,
      state_reason: 'completed',
    });
    await call('PATCH', '/repos/acme/people/issues/5', { state: 'open' });
    expect(github.issues.find((issue) => issue.number === 5)?.state_reason).toBe('reopened');
    expect((await call('PATCH', '/repos/acme/people/issues/99', { body: 'x' })).status).toBe(404);
    expect((await call('GET', '/repos/acme/people/issues?sort=updated')).status).toBe(422);
    expect(github.violations).toEqual([]);
  });

  it('creates issues as the token’s user when it has one', async () => {
    github.reset();
    github.viewer = 'offboard-service';
    await call('POST', '/repos/acme/people/issues', { title: 'Drifted users' });
    expect(github.issues).toMatchObject([{ number: 1, user: { login: 'offboard-service', type: 'User' } }]);
    expect(github.violations).toEqual([]);
  });
});

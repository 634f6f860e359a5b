import { createRequire } from 'node:module';
import { getOctokit } from '@actions/github';
import { FakeGitHubServer } from '@smartsheet-offboard/testkit/github-server';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkApprovals } from '../src/approvals.js';
import { octokitApi, TreeTruncatedError } from '../src/github.js';

const server = await new FakeGitHubServer('acme', 'people').start();
afterAll(() => server.stop());
// Every request the adapter made, and every answer of the fake, as GitHub's REST description says.
afterEach(() => {
  expect(server.violations.splice(0)).toEqual([]);
});
const api = octokitApi(getOctokit('ghs_test', { baseUrl: server.url }), { owner: 'acme', repo: 'people' });
const HEAD = 'a'.repeat(40);

describe('octokitApi against a local GitHub API', () => {
  it('reads every page of a pull request’s files', async () => {
    server.files.set(
      3,
      Array.from({ length: 250 }, (_, i) => ({ filename: `offboarding/${i}.txt`, status: 'added' })),
    );
    const files = await api.listPullRequestFiles(3);
    expect(files).toHaveLength(250);
    expect(files[249]).toEqual({ path: 'offboarding/249.txt', status: 'added' });
    const pages = server.requestsFor('pulls/list-files');
    expect(pages).toHaveLength(3);
    // GitHub's `Link` header points at `/repositories/{id}/…`, not at the path first requested.
    expect(pages.map((r) => r.path)).toEqual([
      '/repos/acme/people/pulls/3/files',
      `/repositories/${server.repositoryId}/pulls/3/files`,
      `/repositories/${server.repositoryId}/pulls/3/files`,
    ]);
    expect(server.requests.every((r) => r.authorization === 'token ghs_test')).toBe(true);
  });

  it('maps pull requests, reviews and the pull requests of a commit', async () => {
    const pull = {
      number: 3,
      user: { login: 'alice' },
      head: { sha: HEAD },
      base: { ref: 'main' },
      merged_at: '2026-11-26T10:00:00Z',
      merge_commit_sha: 'b'.repeat(40),
    };
    server.pulls.set(3, pull);
    server.commitPulls.set('b'.repeat(40), [pull]);
    server.reviews.set(3, [{ user: { login: 'bob' }, state: 'APPROVED', commit_id: HEAD }]);
    const expected = {
      number: 3,
      author: 'alice',
      state: 'closed',
      headSha: HEAD,
      baseRef: 'main',
      merged: true,
      mergeCommitSha: 'b'.repeat(40),
    };
    // The fake counts the files it lists for the pull request, as GitHub does.
    expect(await api.getPullRequest(3)).toEqual({ ...expected, changedFiles: 250 });
    // A list of pull requests carries no file count.
    expect(await api.pullRequestsForCommit('b'.repeat(40))).toEqual([expected]);
    expect(await api.listReviews(3)).toEqual([{ reviewer: 'bob', state: 'APPROVED', commitId: HEAD }]);
    server.pulls.set(3, { ...pull, changed_files: 3001 });
    expect((await api.getPullRequest(3)).changedFiles).toBe(3001);
  });

  it('marks reviews by bots, names comment authors, and reads the token user when there is one', async () => {
    server.reviews.set(4, [
      { user: { login: 'github-actions[bot]', type: 'Bot' }, state: 'APPROVED', commit_id: HEAD },
      { user: { login: 'renovate[bot]' }, state: 'APPROVED', commit_id: HEAD },
    ]);
    expect((await api.listReviews(4)).map((review) => review.reviewerIsBot)).toEqual([true, true]);
    server.comments.push({ id: 900, issueNumber: 4, body: 'x', user: { login: 'mallory', type: 'User' } });
    await api.createComment(4, 'ours');
    expect(await api.listComments(4)).toEqual([
      { id: 900, body: 'x', author: 'mallory' },
      { id: expect.any(Number), body: 'ours', author: 'github-actions[bot]' },
    ]);
    expect(await api.tokenLogin()).toBeUndefined();
    server.viewer = 'offboard-service';
    expect(await api.tokenLogin()).toBe('offboard-service');
    server.viewer = undefined;
  });

  it('sees a request for changes on the second page of reviews, after the approval on the first', async () => {
    const reviews = [
      { user: { login: 'bob' }, state: 'APPROVED', commit_id: HEAD },
      ...Array.from({ length: 148 }, () => ({
        user: { login: 'carol' },
        state: 'COMMENTED',
        commit_id: HEAD,
      })),
      { user: { login: 'bob' }, state: 'CHANGES_REQUESTED', commit_id: HEAD },
    ];
    server.reviews.set(5, reviews);
    server.permissions.set('bob', 'write');
    const pr = {
      number: 5,
      author: 'alice',
      state: 'closed' as const,
      headSha: HEAD,
      baseRef: 'main',
      merged: true,
    };
    const status = await checkApprovals(api, pr, 1);
    expect(status.satisfied).toBe(false);
    expect(
      server.requestsFor('pulls/list-reviews').filter((r) => r.path.endsWith('/pulls/5/reviews')),
    ).toHaveLength(2);
  });

  it("reads a user's permission, and none for someone who is not a collaborator", async () => {
    server.permissions.set('bob', 'write');
    expect(await api.permissionOf('bob')).toBe('write');
    expect(await api.permissionOf('mallory')).toBe('none');
  });

  it('reads raw file content at a commit', async () => {
    server.contents.set(`${HEAD}:offboarding/a b.yaml`, 'users:\n  - id: 48569348493401201\n');
    expect(await api.readFile('offboarding/a b.yaml', HEAD)).toBe('users:\n  - id: 48569348493401201\n');
    expect(await api.readFile('offboarding/missing.yaml', HEAD)).toBeUndefined();
  });

  it('pages a comparison, a commit’s files and a pull request’s commits', async () => {
    let parent: string | undefined;
    const shas: string[] = [];
    for (let i = 0; i < 230; i++) {
      const sha = `c${i.toString(16).padStart(39, '0')}`;
      server.commits.set(sha, {
        parents: parent ? [parent] : [],
        tree: { [`offboarding/${i}.txt`]: `u${i}@x.com` },
      });
      shas.push(sha);
      parent = sha;
    }
    const comparison = await api.compareCommits(shas[0]!, shas[229]!);
    expect(comparison).toEqual({ status: 'ahead', mergeBase: shas[0], commits: shas.slice(1) });
    const wide = 'e'.repeat(40);
    server.commits.set(wide, {
      parents: [shas[229]!],
      tree: Object.fromEntries(
        Array.from({ length: 250 }, (_, i) => [`offboarding/w${i}.txt`, `w${i}@x.com`]),
      ),
    });
    const commit = await api.getCommit(wide);
    expect(commit.parents).toEqual([shas[229]]);
    expect(commit.files.filter((file) => file.status === 'added')).toHaveLength(250);
    expect(commit.files.filter((file) => file.status === 'removed')).toHaveLength(1);
    server.pulls.set(6, {
      number: 6,
      user: { login: 'alice' },
      head: { sha: HEAD },
      base: { ref: 'main' },
      merged_at: null,
      merge_commit_sha: null,
    });
    server.pullCommits.set(6, [
      { sha: HEAD, author: { login: 'alice' }, committer: null },
      { sha: wide, author: null, committer: { login: 'bob' } },
    ]);
    expect(await api.listPullRequestCommits(6)).toEqual([
      { sha: HEAD, author: 'alice' },
      { sha: wide, committer: 'bob' },
    ]);
  });

  it('lists, creates and updates comments', async () => {
    for (let i = 0; i < 120; i++) server.comments.push({ id: i + 1, issueNumber: 3, body: `comment ${i}` });
    expect(await api.listComments(3)).toHaveLength(120);
    await api.createComment(3, 'hello');
    const created = server.comments.at(-1)!;
    expect(created).toMatchObject({ issueNumber: 3, body: 'hello' });
    await api.updateComment(created.id, 'edited');
    expect(server.comments.at(-1)!.body).toBe('edited');
  });
});

describe('octokitApi: the repository, its history and issues', () => {
  beforeEach(() => server.reset());
  const sha = (i: number) => `d${i.toString(16).padStart(39, '0')}`;
  const FILE = 'offboarding/leavers.yaml';

  it('reads the default branch, and a commit by branch name', async () => {
    server.commits.set(sha(1), { parents: [], tree: { [FILE]: 'users: []\n' } });
    server.branches.set('trunk', sha(1));
    server.defaultBranch = 'trunk';
    expect(await api.defaultBranch()).toBe('trunk');
    expect(await api.getCommit('trunk')).toEqual({
      sha: sha(1),
      parents: [],
      files: [{ path: FILE, status: 'added' }],
    });
  });

  it('lists the files of a commit’s tree, not its folders, and refuses a truncated listing', async () => {
    server.commits.set(sha(1), {
      parents: [],
      tree: { 'README.md': '#', [FILE]: 'x', 'offboarding/2026/q4.csv': 'y' },
    });
    expect(await api.listTree(sha(1))).toEqual(['README.md', 'offboarding/2026/q4.csv', FILE]);
    expect(server.requestsFor('git/get-tree')[0]?.query.get('recursive')).toBe('1');
    server.treeEntryLimit = 3;
    const refused = api.listTree(sha(1));
    await expect(refused).rejects.toBeInstanceOf(TreeTruncatedError);
    await expect(refused).rejects.toThrow(
      `GitHub lists the tree of commit ${sha(1)} only in part (truncated: over 100,000 entries or 7 MB), so not every offboarding file can be found there.`,
    );
  });

  it('lists the commits that changed a file, newest first, in the fewest pages the limit needs', async () => {
    // 300 commits in a line; two of every three change the file: 200 of them, on two pages of 100.
    for (let i = 0; i < 300; i++) {
      server.commits.set(sha(i), {
        parents: i === 0 ? [] : [sha(i - 1)],
        tree: { [FILE]: `version ${i - (i % 3 === 2 ? 1 : 0)}`, 'other.txt': String(i) },
      });
    }
    const changing = Array.from({ length: 300 }, (_, i) => sha(299 - i)).filter(
      (commit) => Number.parseInt(commit.slice(1), 16) % 3 !== 2,
    );
    expect(changing).toHaveLength(200);
    const pages = () => server.requests.splice(0).map((request) => request.query.get('per_page'));
    expect(await api.listCommitsForPath(FILE, sha(299), 1000)).toEqual(changing);
    expect(pages()).toEqual(['100', '100']);
    expect(await api.listCommitsForPath(FILE, sha(299), 150)).toEqual(changing.slice(0, 150));
    expect(pages()).toEqual(['100', '100']);
    expect(await api.listCommitsForPath(FILE, sha(299), 5)).toEqual(changing.slice(0, 5));
    const [only, ...more] = server.requestsFor('repos/list-commits');
    expect(more).toEqual([]);
    expect(Object.fromEntries(only!.query)).toEqual({ sha: sha(299), path: FILE, per_page: '5' });
    server.requests.length = 0;
    expect(await api.listCommitsForPath(FILE, sha(299), 0)).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('lists open issues with a label, oldest first over every page, leaving out pull requests', async () => {
    const issue = (number: number, labels: string[], state: 'open' | 'closed' = 'open') => ({
      number,
      title: `Issue ${number}`,
      body: `body ${number}`,
      labels,
      state,
      user: { login: 'alice', type: 'User' },
    });
    for (let number = 130; number >= 1; number--) server.issues.push(issue(number, ['drift', 'offboarding']));
    server.issues.push(issue(131, ['drift'], 'closed'), issue(132, ['other']));
    server.issues.push(
      { ...issue(133, ['drift']), pull_request: true },
      { ...issue(134, ['drift']), user: null },
    );
    const open = await api.listOpenIssues('drift');
    expect(open.map((found) => found.number)).toEqual([...Array.from({ length: 130 }, (_, i) => i + 1), 134]);
    expect(open[0]).toEqual({ number: 1, title: 'Issue 1', body: 'body 1', author: 'alice' });
    expect(open.at(-1)).toEqual({ number: 134, title: 'Issue 134', body: 'body 134' });
    const requests = server.requestsFor('issues/list-for-repo');
    expect(requests).toHaveLength(2);
    expect(Object.fromEntries(requests[0]!.query)).toEqual({
      labels: 'drift',
      state: 'open',
      sort: 'created',
      direction: 'asc',
      per_page: '100',
    });
  });

  it('creates an issue as the workflow’s bot, changes its body and closes it as completed', async () => {
    server.pulls.set(7, {
      number: 7,
      user: { login: 'alice' },
      head: { sha: sha(1) },
      base: { ref: 'main' },
      merged_at: null,
      merge_commit_sha: null,
    });
    const number = await api.createIssue('Drifted users', 'jane@example.com', ['offboarding-drift']);
    expect(number).toBe(8);
    expect(server.issues).toEqual([
      {
        number: 8,
        title: 'Drifted users',
        body: 'jane@example.com',
        labels: ['offboarding-drift'],
        state: 'open',
        user: { login: 'github-actions[bot]', type: 'Bot' },
      },
    ]);
    expect(await api.listOpenIssues('offboarding-drift')).toEqual([
      { number: 8, title: 'Drifted users', body: 'jane@example.com', author: 'github-actions[bot]' },
    ]);
    await api.updateIssue(8, { body: 'nobody' });
    await api.updateIssue(8, { state: 'closed' });
    expect(server.requestsFor('issues/update').map((request) => request.body)).toEqual([
      { body: 'nobody' },
      { state: 'closed', state_reason: 'completed' },
    ]);
    expect(server.issues[0]).toMatchObject({ body: 'nobody', state: 'closed', state_reason: 'completed' });
    expect(await api.listOpenIssues('offboarding-drift')).toEqual([]);
  });

  it('reads fields shaped as in GitHub’s recorded answers (@octokit/fixtures)', async () => {
    const recorded = (scenario: string) =>
      (
        createRequire(import.meta.url)(
          `@octokit/fixtures/scenarios/api.github.com/${scenario}/normalized-fixture.json`,
        ) as { method: string; response: unknown }[]
      )[0]!.response;
    // The fields the adapter reads, with their JSON types.
    const shape = (value: unknown, fields: string[]) =>
      Object.fromEntries(
        fields.map((field) => {
          const found = field.split('.').reduce<unknown>((object, key) => (object as never)?.[key], value);
          return [field, Array.isArray(found) ? 'array' : found === null ? 'null' : typeof found];
        }),
      );
    const ISSUE = ['number', 'title', 'body', 'state', 'user.login', 'user.type', 'labels', 'pull_request'];
    const github = async (method: string, path: string, body?: unknown) =>
      (
        await fetch(`${server.url}/repos/acme/people${path}`, {
          method,
          headers: { accept: 'application/vnd.github+json', authorization: 'token ghs_test' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
      ).json();

    expect(shape(await github('GET', ''), ['default_branch'])).toEqual(
      shape(recorded('get-repository'), ['default_branch']),
    );
    // Recorded as here: an issue created with a title only, which GitHub answers with a null body.
    const created = await github('POST', '/issues', { title: 'Issue without a label' });
    expect(shape(created, ISSUE)).toEqual(shape(recorded('add-labels-to-issue'), ISSUE));
    const [listed] = (await github('GET', '/issues')) as unknown[];
    expect(shape(listed, ISSUE)).toEqual(shape((recorded('paginate-issues') as unknown[])[0], ISSUE));
    expect(await api.listOpenIssues('')).toEqual([
      { number: 1, title: 'Issue without a label', body: '', author: 'github-actions[bot]' },
    ]);
  });
});

describe('the fake GitHub API answers as GitHub does', () => {
  const fake = new FakeGitHubServer('acme', 'people');
  afterAll(() => fake.stop());

  it('nullable review users and commits, error bodies with documentation_url, 403 on /user for an installation token', async () => {
    await fake.start();
    const api = octokitApi(getOctokit('ghs_test', { baseUrl: fake.url }), {
      owner: 'acme',
      repo: 'people',
    });
    fake.reviews.set(1, [{ user: null, state: 'APPROVED', commit_id: null }]);
    expect(await api.listReviews(1)).toEqual([{ state: 'APPROVED' }]);
    await expect(api.getPullRequest(404)).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found', documentation_url: expect.stringMatching(/^https:/) } },
    });
    const user = await fetch(`${fake.url}/user`, { headers: { authorization: 'token ghs_test' } });
    expect(user.status).toBe(403);
    expect(await user.json()).toEqual({
      message: 'Resource not accessible by integration',
      documentation_url: expect.any(String),
    });
    expect(fake.violations).toEqual([]);
  });
});

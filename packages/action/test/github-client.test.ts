// The production GitHub client (`createGitHubApi`: Octokit with the retry and throttling plugins, a time
// limit per attempt, cancellation and named errors) against the fake GitHub API failing as GitHub does.

import { FakeGitHubServer, type FakePull } from '@smartsheet-offboard/testkit/github-server';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TreeTruncatedError } from '../src/github.js';
import {
  createGitHubApi,
  GITHUB_TIMEOUT_DEFAULT_SECONDS,
  GITHUB_TIMEOUT_VARIABLE,
  type GitHubClientOptions,
  githubTimeoutSeconds,
} from '../src/github-client.js';

const TOKEN = 'ghs_clientTestToken0123456789';
const server = await new FakeGitHubServer('acme', 'people').start();
afterAll(() => server.stop());
afterEach(() => {
  server.clearFaults();
  expect(server.violations.splice(0)).toEqual([]);
});

const PULL: FakePull = {
  number: 3,
  user: { login: 'alice' },
  head: { sha: 'a'.repeat(40) },
  base: { ref: 'main' },
  merged_at: null,
  merge_commit_sha: null,
};
server.pulls.set(3, PULL);

function client(options: Partial<GitHubClientOptions> = {}) {
  const log: string[] = [];
  const api = createGitHubApi(
    TOKEN,
    { owner: 'acme', repo: 'people' },
    { baseUrl: server.url, log: (message) => log.push(message), ...options },
  );
  return { api, log };
}

/** The error a call rejects with, and how long it took. */
async function failure(call: Promise<unknown>): Promise<{ error: Error & { status?: number }; ms: number }> {
  const started = performance.now();
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (reason: Error) => reason,
  );
  expect(error.message).not.toContain(TOKEN);
  return { error, ms: performance.now() - started };
}

const pullRequestCalls = () => server.requestsFor('pulls/get').length;

describe('createGitHubApi', () => {
  it('gets through one 502 HTML page, logging the retry', async () => {
    const { api, log } = client();
    server.inject('pulls/get', { kind: 'bad-gateway' });
    const before = pullRequestCalls();
    expect((await api.getPullRequest(3)).headSha).toBe(PULL.head.sha);
    expect(pullRequestCalls() - before).toBe(2);
    expect(log).toEqual(['GitHub answered HTTP 502 to GET /repos/acme/people/pulls/3.']);
  });

  it('gives up after three 502s, naming the call, the status and what to do, without the HTML', async () => {
    const { api } = client();
    server.inject('pulls/get', { kind: 'bad-gateway' }, Infinity);
    const before = pullRequestCalls();
    const { error } = await failure(api.getPullRequest(3));
    expect(pullRequestCalls() - before).toBe(3);
    expect(error).toMatchObject({ name: 'GitHubApiError', operation: 'getPullRequest', status: 502 });
    expect(error.message).toBe(
      'GitHub API getPullRequest (GET /repos/acme/people/pulls/3) failed with HTTP 502, 3 times. ' +
        "Re-run the job later; https://www.githubstatus.com shows GitHub's incidents.",
    );
  });

  it('waits out a secondary rate limit (403 with retry-after) and a primary one (remaining 0)', async () => {
    const { api, log } = client();
    server.inject('issues/create-comment', { kind: 'secondary-rate-limit', retryAfterSeconds: 1 });
    await api.createComment(3, 'hello');
    expect(server.comments.filter((comment) => comment.body === 'hello')).toHaveLength(1);
    server.inject('pulls/get', { kind: 'primary-rate-limit', resetInSeconds: 1 });
    expect((await api.getPullRequest(3)).number).toBe(3);
    expect(log).toEqual([
      expect.stringMatching(
        /^GitHub's secondary rate limit on POST \/repos\/acme\/people\/issues\/3\/comments: retrying in 1 s\.$/,
      ),
      expect.stringMatching(
        /^GitHub's rate limit on GET \/repos\/acme\/people\/pulls\/3: retrying in [1-3] s\.$/,
      ),
    ]);
  });

  it('does not wait an hour for a rate limit: it fails at once, saying when to re-run', async () => {
    const { api } = client();
    server.inject('pulls/get', { kind: 'primary-rate-limit', resetInSeconds: 3600 });
    const { error, ms } = await failure(api.getPullRequest(3));
    expect(ms).toBeLessThan(5_000);
    expect(error.message).toMatch(
      /^GitHub API getPullRequest \(GET \/repos\/acme\/people\/pulls\/3\) failed with HTTP 403 \(API rate limit exceeded for installation ID 1\.\)\. The token's GitHub API rate limit is used up: re-run the job after \d\d:\d\d:\d\d UTC\.$/,
    );
  });

  it('abandons an attempt that gets no answer, three times, then fails naming the time limit', async () => {
    const { api, log } = client({ timeoutSeconds: 0.2 });
    server.inject('pulls/get', { kind: 'hang' }, Infinity);
    const { error, ms } = await failure(api.getPullRequest(3));
    // Three attempts of 0.2 s and the retry plugin's waits of 1 s and 4 s.
    expect(ms).toBeGreaterThan(5_000);
    expect(ms).toBeLessThan(10_000);
    expect(error.message).toBe(
      'GitHub API getPullRequest (GET /repos/acme/people/pulls/3) got no answer within 0.2 s, 3 times. ' +
        "Re-run the job later; https://www.githubstatus.com shows GitHub's incidents.",
    );
    expect(error).toMatchObject({ status: undefined });
    expect(log).toHaveLength(3);
  });

  it('ends a call at once when the run is cancelled, during a request or while waiting to retry', async () => {
    for (const fault of [{ kind: 'hang' }, { kind: 'bad-gateway' }] as const) {
      const controller = new AbortController();
      const { api } = client({ signal: controller.signal });
      server.inject('pulls/get', fault, Infinity);
      const call = failure(api.getPullRequest(3));
      setTimeout(() => controller.abort(), 300);
      const { error, ms } = await call;
      expect(ms).toBeLessThan(1_000);
      expect(error.message).toBe(
        'GitHub API getPullRequest was cancelled with the workflow run. Nothing more was asked of GitHub.',
      );
      server.clearFaults();
    }
  });

  it('keeps the status of a 404, which callers read, and says what it may mean', async () => {
    const { api } = client();
    const { error } = await failure(api.getPullRequest(404));
    expect(error).toMatchObject({ status: 404 });
    expect(error.message).toBe(
      'GitHub API getPullRequest (GET /repos/acme/people/pulls/404) failed with HTTP 404 (Not Found). GitHub has ' +
        'no such object, or the github-token may not see it (`contents: read`, `pull-requests: read`).',
    );
    expect(await api.permissionOf('nobody')).toBe('none');
  });

  it('tokenLogin: only 401 and 403 mean an installation token; a failing GitHub is not one', async () => {
    const { api } = client();
    expect(await api.tokenLogin()).toBeUndefined();
    server.viewer = 'offboard-service';
    expect(await api.tokenLogin()).toBe('offboard-service');
    server.inject('users/get-authenticated', { kind: 'status', status: 401, message: 'Bad credentials' });
    expect(await api.tokenLogin()).toBeUndefined();
    server.inject('users/get-authenticated', { kind: 'bad-gateway' }, 3);
    const { error } = await failure(api.tokenLogin());
    expect(error).toMatchObject({ operation: 'tokenLogin', status: 502 });
    server.viewer = undefined;
  });

  it('reads raw content as UTF-8 bytes, and refuses a file that is not UTF-8', async () => {
    const { api } = client();
    const ref = 'c'.repeat(40);
    server.contents.set(`${ref}:offboarding/é.yaml`, 'users:\n  - josé@example.com\n');
    expect(await api.readFile('offboarding/é.yaml', ref)).toBe('users:\n  - josé@example.com\n');
    server.contents.set(`${ref}:offboarding/latin1.csv`, new Uint8Array([0x6a, 0x6f, 0x73, 0xe9, 0x0a]));
    const { error } = await failure(api.readFile('offboarding/latin1.csv', ref));
    expect(error.message).toBe(
      'offboarding/latin1.csv at ccccccc is not UTF-8 text: save it as UTF-8 (offboarding files are read as UTF-8 only).',
    );
  });

  it('says a truncated tree is truncated, not that GitHub could not be reached', async () => {
    const { api } = client();
    const sha = 'd'.repeat(40);
    server.commits.set(sha, { parents: [], tree: { 'offboarding/a.yaml': 'users: []\n', 'README.md': 'x' } });
    server.treeEntryLimit = 1;
    const { error } = await failure(api.listTree(sha));
    server.treeEntryLimit = 100_000;
    expect(error).toBeInstanceOf(TreeTruncatedError);
    expect(error.message).toMatch(/^GitHub lists the tree of commit d{40} only in part/);
    expect(server.requestsFor('git/get-tree')).toHaveLength(1);
  });
});

describe(GITHUB_TIMEOUT_VARIABLE, () => {
  it('sets the per-request time limit, and a bad value is refused naming it', () => {
    expect(githubTimeoutSeconds({})).toBe(GITHUB_TIMEOUT_DEFAULT_SECONDS);
    expect(githubTimeoutSeconds({ [GITHUB_TIMEOUT_VARIABLE]: '45' })).toBe(45);
    expect(githubTimeoutSeconds({ [GITHUB_TIMEOUT_VARIABLE]: '0.5' })).toBe(0.5);
    for (const value of ['0', '-1', 'soon', '601']) {
      expect(() => githubTimeoutSeconds({ [GITHUB_TIMEOUT_VARIABLE]: value })).toThrow(
        `${GITHUB_TIMEOUT_VARIABLE} has the invalid value "${value}": expected a number of seconds above 0 and at most 600`,
      );
    }
  });
});

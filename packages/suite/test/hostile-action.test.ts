import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@smartsheet-offboard/simulator';
import { FakeGitHubServer } from '@smartsheet-offboard/testkit/github-server';
import { deactivationRequests } from '@smartsheet-offboard/testkit/journal';
import { generatedOrgSeed, member } from '@smartsheet-offboard/testkit/orgs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runBundle } from './support/action.js';
import { collect } from './support/outputs.js';
import { TOKEN } from './support/secret.js';

const ORG_SIZE = 10;
const LEAVER = member(5, ORG_SIZE);
const simulator = await startSimulator({
  seed: generatedOrgSeed(ORG_SIZE, TOKEN),
  requestsPerMinute: Infinity,
});
const github = await new FakeGitHubServer('acme', 'people').start();
const root = await mkdtemp(join(tmpdir(), 'offboard-suite-paths-'));
afterAll(async () => {
  await simulator.stop();
  await github.stop();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => simulator.reset());

/**
 * A checked-out repository with nothing of its own to offboard, next to a directory outside it
 * that names a real member: reading that file would deactivate them.
 */
async function workspaceBesideOutsideFile() {
  const base = await mkdtemp(join(root, 'case-'));
  const workspace = join(base, 'repo');
  const outside = join(base, 'outside');
  await mkdir(join(workspace, 'offboarding'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'leavers.yaml'), `users:\n  - email: ${LEAVER.email}\n`);
  return { workspace, outside };
}

async function dispatch(workspace: string, manifestPaths: string) {
  return runBundle({
    eventName: 'workflow_dispatch',
    payload: { inputs: {} },
    inputs: { mode: 'apply', 'manifest-paths': manifestPaths, 'api-base-url': simulator.url },
    githubApiUrl: github.url,
    workspace,
  });
}

function expectNothingDeactivated(run: Awaited<ReturnType<typeof dispatch>>) {
  expect(run.code).toBe(1);
  expect(run.errors.length).toBeGreaterThan(0);
  expect(deactivationRequests(simulator.journal())).toEqual([]);
  expect(simulator.user(LEAVER.id)?.status).toBe('ACTIVE');
}

describe('manifest-paths that reach outside the workspace', () => {
  it.each(['../outside/*.yaml', 'offboarding/../../outside/leavers.yaml', '/tmp/**/leavers.yaml'])(
    '%s is refused with an error naming the input',
    async (pattern) => {
      const { workspace } = await workspaceBesideOutsideFile();
      const run = await dispatch(workspace, pattern);
      expectNothingDeactivated(run);
      expect(run.errors.join('\n')).toContain('manifest-paths');
    },
  );

  it('a symlinked file pointing outside the workspace is not read', async () => {
    const { workspace, outside } = await workspaceBesideOutsideFile();
    await symlink(join(outside, 'leavers.yaml'), join(workspace, 'offboarding', 'leavers.yaml'));
    expectNothingDeactivated(await dispatch(workspace, 'offboarding/**/*.yaml'));
  });

  it('a symlinked directory pointing outside the workspace is not read', async () => {
    const { workspace, outside } = await workspaceBesideOutsideFile();
    await symlink(outside, join(workspace, 'offboarding', 'team'));
    expectNothingDeactivated(await dispatch(workspace, 'offboarding/**/*.yaml'));
  });
});

describe('markdown, HTML and mentions in offboarding files are inert in comments and summaries', () => {
  it('a pull request plan shows hostile reasons and tickets without rendering them', async () => {
    const file = 'offboarding/2026-11-27-hostile.yaml';
    const head = 'd'.repeat(40);
    const content = [
      'users:',
      `  - email: ${LEAVER.email}`,
      '    reason: "@everyone <script>alert(1)</script> [click](https://evil.example) **urgent** ![x](https://evil.example/p.png)"',
      '    ticket: "#1 @acme/admins <img src=x onerror=alert(1)> | --- |"',
    ].join('\n');
    github.reset();
    github.pulls.set(7, {
      number: 7,
      user: { login: 'mallory' },
      head: { sha: head },
      base: { ref: 'main' },
      merged_at: null,
      merge_commit_sha: null,
    });
    github.files.set(7, [{ filename: file, status: 'added' }]);
    github.contents.set(`${head}:${file}`, content);
    // main, the pull request's merge base, has no offboarding file.
    const main = 'e'.repeat(40);
    github.commits.set(main, { parents: [], tree: {} });
    github.commits.set(head, { parents: [main], tree: { [file]: content } });
    github.branches.set('main', main);

    const run = await runBundle({
      eventName: 'pull_request',
      payload: { pull_request: { number: 7 }, repository: { default_branch: 'main' } },
      inputs: { 'api-base-url': simulator.url },
      githubApiUrl: github.url,
      sha: head,
    });
    await collect('pull request comments', JSON.stringify(github.comments));

    expect(run.code, run.stdout).toBe(0);
    expect(deactivationRequests(simulator.journal())).toEqual([]);
    expect(github.comments).toHaveLength(1);
    for (const [where, markdown] of [
      ['comment', github.comments[0]!.body],
      ['summary', run.summary],
    ] as const) {
      // The text is there (the reviewer must see it) but nothing in it is live markdown or HTML.
      expect(markdown, where).toContain('everyone');
      expect(markdown, where).not.toMatch(/<script|<img/i);
      expect(markdown, where).not.toMatch(/(?<![\w\u200b])@(everyone|acme\/admins)/);
      expect(markdown, where).not.toMatch(/\]\(https:\/\/evil/);
      expect(markdown, where).not.toMatch(/(?<![\w\u200b])#1\b/);
      expect(markdown, where).not.toContain('**urgent**');
    }
  });
});

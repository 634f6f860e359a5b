import { type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { FakeGitHubServer, type FakePull } from '@smartsheet-offboard/testkit/github-server';
import { deactivationRequests } from '@smartsheet-offboard/testkit/journal';
import { generatedOrgSeed, member } from '@smartsheet-offboard/testkit/orgs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runBundle } from './support/action.js';
import { collect } from './support/outputs.js';
import { TOKEN } from './support/secret.js';

const ORG_SIZE = 10;
const LEAVER = member(3, ORG_SIZE);
const FILE = 'offboarding/2026-11-27-leaver.yaml';
const CONTENT = `users:\n  - email: ${LEAVER.email}\n    reason: Left the company\n`;
const PR = 12;
const HEAD = 'a'.repeat(40);
const EARLIER = 'e'.repeat(40);
const MERGE = 'f'.repeat(40);
const BASE = 'b'.repeat(40);

const simulator: Simulator = await startSimulator({
  seed: generatedOrgSeed(ORG_SIZE, TOKEN),
  requestsPerMinute: Infinity,
});
const github = await new FakeGitHubServer('acme', 'people').start();
afterAll(async () => {
  await simulator.stop();
  await github.stop();
});
beforeEach(() => {
  simulator.reset();
  github.reset();
  // main had no offboarding file; the pull request's commit adds it, its merge commit lands it.
  github.commits.set(BASE, { parents: [], tree: {} });
  github.commits.set(HEAD, { parents: [BASE], tree: { [FILE]: CONTENT } });
  github.commits.set(MERGE, { parents: [BASE, HEAD], tree: { [FILE]: CONTENT } });
  github.commits.set(EARLIER, { parents: [BASE], tree: { [FILE]: CONTENT } });
  github.branches.set('main', BASE);
  for (const login of ['alice', 'bob']) github.permissions.set(login, 'write');
  github.permissions.set('eve', 'read');
});

/** A pull request by alice adding the file; `merged` makes MERGE its merge commit. */
function pullRequest(merged: boolean): FakePull {
  const pull: FakePull = {
    number: PR,
    user: { login: 'alice' },
    head: { sha: HEAD },
    base: { ref: 'main' },
    merged_at: merged ? '2026-11-27T09:00:00Z' : null,
    merge_commit_sha: merged ? MERGE : null,
  };
  github.pulls.set(PR, pull);
  github.files.set(PR, [{ filename: FILE, status: 'added' }]);
  if (merged) github.commitPulls.set(HEAD, [pull]);
  return pull;
}

const review = (login: string, state: string, commit = HEAD) => ({
  user: { login },
  state,
  commit_id: commit,
  author_association: 'MEMBER',
});

async function push(after: string) {
  const run = await runBundle({
    eventName: 'push',
    payload: { ref: 'refs/heads/main', before: BASE, after, repository: { default_branch: 'main' } },
    inputs: { 'api-base-url': simulator.url, 'required-approvals': '1' },
    githubApiUrl: github.url,
    sha: after,
  });
  await collect('pull request comments', JSON.stringify(github.comments));
  return run;
}

/** The plan run on the pull request, which records what reviewers saw. */
async function plan() {
  const run = await runBundle({
    eventName: 'pull_request_target',
    payload: { pull_request: { number: PR }, repository: { default_branch: 'main' } },
    inputs: { 'api-base-url': simulator.url },
    githubApiUrl: github.url,
    sha: HEAD,
  });
  expect(run.code, run.stdout).toBe(0);
  simulator.reset();
}

/** Refused once, for `reason`, before any deactivation; outputs still say who was deactivated: nobody. */
function expectRefusedWithNothingDeactivated(run: Awaited<ReturnType<typeof push>>, reason: string) {
  expect(run.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toContain(reason);
  expect(deactivationRequests(simulator.journal())).toEqual([]);
  expect(simulator.user(LEAVER.id)?.status).toBe('ACTIVE');
  expect(run.outputs['deactivated'] ?? '[]').toBe('[]');
}

describe('approval abuse on push: refuses and deactivates nobody', () => {
  it('the only approval was dismissed', async () => {
    const pull = pullRequest(true);
    github.commitPulls.set(MERGE, [pull]);
    // GitHub reports a dismissed approval with the state DISMISSED.
    github.reviews.set(PR, [review('bob', 'DISMISSED')]);
    expectRefusedWithNothingDeactivated(await push(MERGE), '0 of the 1 required approvals');
  });

  it('the approval was followed by new commits', async () => {
    const pull = pullRequest(true);
    github.commitPulls.set(MERGE, [pull]);
    github.reviews.set(PR, [review('bob', 'APPROVED', EARLIER)]);
    expectRefusedWithNothingDeactivated(await push(MERGE), '0 of the 1 required approvals');
  });

  it('the only approval is by the author', async () => {
    const pull = pullRequest(true);
    github.commitPulls.set(MERGE, [pull]);
    github.reviews.set(PR, [review('alice', 'APPROVED')]);
    expectRefusedWithNothingDeactivated(await push(MERGE), '0 of the 1 required approvals');
  });

  it('the only approval is by someone without write access', async () => {
    const pull = pullRequest(true);
    github.commitPulls.set(MERGE, [pull]);
    github.reviews.set(PR, [review('eve', 'APPROVED')]);
    expectRefusedWithNothingDeactivated(await push(MERGE), '0 of the 1 required approvals');
  });

  it('a commit pushed straight to the branch, with no pull request', async () => {
    expectRefusedWithNothingDeactivated(await push(MERGE), 'belongs to no pull request merged into main');
  });

  it("an approved pull request's head pushed straight to the branch, without merging it", async () => {
    const pull = pullRequest(false);
    github.commitPulls.set(HEAD, [pull]);
    github.reviews.set(PR, [review('bob', 'APPROVED')]);
    expectRefusedWithNothingDeactivated(await push(HEAD), 'belongs to no pull request merged into main');
  });

  it('control: the same push with a standing approval by someone else does deactivate', async () => {
    const pull = pullRequest(true);
    github.commitPulls.set(MERGE, [pull]);
    await plan();
    github.reviews.set(PR, [review('bob', 'APPROVED')]);
    const run = await push(MERGE);
    expect(run.code, run.stdout).toBe(0);
    expect(deactivationRequests(simulator.journal())).toEqual([LEAVER.id]);
    expect(JSON.parse(run.outputs['deactivated']!)).toEqual([LEAVER.id]);
  });
});

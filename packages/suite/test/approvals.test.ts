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
  for (const ref of [HEAD, MERGE]) github.contents.set(`${ref}:${FILE}`, CONTENT);
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
    payload: {
      ref: 'refs/heads/main',
      after,
      repository: { default_branch: 'main' },
      commits: [{ added: [FILE], modified: [] }],
    },
    inputs: { 'api-base-url': simulator.url, 'required-approvals': '1' },
    githubApiUrl: github.url,
    sha: after,
  });
  await collect('pull request comments', JSON.stringify(github.comments));
  return run;
}

/** Refused once, with a reason, before any deactivation; outputs still say who was deactivated: nobody. */
function expectRefusedWithNothingDeactivated(run: Awaited<ReturnType<typeof push>>) {
  expect(run.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]!.length).toBeGreaterThan('::error::'.length + 20);
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
    expectRefusedWithNothingDeactivated(await push(MERGE));
  });

  it('the approval was followed by new commits', async () => {
    const pull = pullRequest(true);
    github.commitPulls.set(MERGE, [pull]);
    github.reviews.set(PR, [review('bob', 'APPROVED', EARLIER)]);
    expectRefusedWithNothingDeactivated(await push(MERGE));
  });

  it('the only approval is by the author', async () => {
    const pull = pullRequest(true);
    github.commitPulls.set(MERGE, [pull]);
    github.reviews.set(PR, [review('alice', 'APPROVED')]);
    expectRefusedWithNothingDeactivated(await push(MERGE));
  });

  it('the only approval is by someone without write access', async () => {
    const pull = pullRequest(true);
    github.commitPulls.set(MERGE, [pull]);
    github.reviews.set(PR, [review('eve', 'APPROVED')]);
    expectRefusedWithNothingDeactivated(await push(MERGE));
  });

  it('a commit pushed straight to the branch, with no pull request', async () => {
    github.contents.set(`${MERGE}:${FILE}`, CONTENT);
    expectRefusedWithNothingDeactivated(await push(MERGE));
  });

  it("an approved pull request's head pushed straight to the branch, without merging it", async () => {
    const pull = pullRequest(false);
    github.commitPulls.set(HEAD, [pull]);
    github.reviews.set(PR, [review('bob', 'APPROVED')]);
    expectRefusedWithNothingDeactivated(await push(HEAD));
  });

  it('control: the same push with a standing approval by someone else does deactivate', async () => {
    const pull = pullRequest(true);
    github.commitPulls.set(MERGE, [pull]);
    github.reviews.set(PR, [review('bob', 'APPROVED')]);
    const run = await push(MERGE);
    expect(run.code, run.stdout).toBe(0);
    expect(deactivationRequests(simulator.journal())).toEqual([LEAVER.id]);
    expect(JSON.parse(run.outputs['deactivated']!)).toEqual([LEAVER.id]);
  });
});

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@smartsheet-offboard/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import type { PullRequestInfo } from '../src/github.js';
import type { ActionInputs } from '../src/inputs.js';
import { run } from '../src/run.js';
import { FakeGitHub } from './fake-github.js';
import { FILE, testEnvironment, testInputs } from './support/fixtures.js';
import { orgSeed, PEOPLE } from './support/org.js';
import { RecordingReporter } from './support/reporter.js';

const simulator = await startSimulator({ seed: orgSeed(), requestsPerMinute: Infinity });
afterAll(() => simulator.stop());

const HEAD = 'a'.repeat(40);
const MERGE = 'm'.repeat(40);
const BEFORE = 'f'.repeat(40);
const NOW = new Date('2026-12-14T12:00:00Z');
const LEAVERS = `users:
  - email: ${PEOPLE.jane.email}
    deactivate-on: 2026-12-15
  - email: ${PEOPLE.sam.email}
    deactivate-on: 2026-12-14T06:00:00-05:00
`;

function inputs(): ActionInputs {
  // The binding to the reviewed plan is tested on its own (run.test.ts, trust.e2e.test.ts).
  return testInputs(simulator.url, { requireReviewedPlan: false });
}

function github(pr: PullRequestInfo): FakeGitHub {
  const fake = new FakeGitHub();
  fake.pulls.set(7, pr);
  fake.pullFiles.set(7, [{ path: FILE, status: 'added' }]);
  fake.reviews.set(7, [{ reviewer: 'bob', state: 'APPROVED', commitId: HEAD }]);
  fake.contents.set(`${HEAD}:${FILE}`, LEAVERS);
  fake.contents.set(`${MERGE}:${FILE}`, LEAVERS);
  fake.commitPulls.set(MERGE, [pr]);
  fake.commitPulls.set(HEAD, [pr]);
  fake.comparisons.set(`${BEFORE}...${MERGE}`, {
    status: 'ahead',
    mergeBase: BEFORE,
    commits: [HEAD, MERGE],
  });
  fake.comparisons.set(`${BEFORE}...${HEAD}`, { status: 'ahead', mergeBase: BEFORE, commits: [HEAD] });
  const changed = [{ path: FILE, status: 'added' }];
  fake.commits.set(HEAD, { sha: HEAD, parents: [BEFORE], files: changed });
  fake.commits.set(MERGE, { sha: MERGE, parents: [BEFORE, HEAD], files: changed });
  for (const login of ['alice', 'bob']) fake.permissions.set(login, 'write');
  return fake;
}

async function runOn(eventName: string, payload: object, fake: FakeGitHub) {
  const dir = await mkdtemp(join(tmpdir(), 'offboard-dates-'));
  const reporter = new RecordingReporter();
  const result = await run(inputs(), {
    environment: testEnvironment(eventName, payload, { workspace: dir, runnerTemp: dir }),
    github: fake,
    reporter,
    now: NOW,
  });
  return { result, reporter };
}

describe('leave dates in the action', () => {
  it('the plan on the pull request shows scheduled with the date; apply on merge deactivates only what is due', async () => {
    const open: PullRequestInfo = {
      number: 7,
      author: 'alice',
      state: 'open',
      headSha: HEAD,
      baseRef: 'main',
      merged: false,
    };
    const planFake = github(open);
    const plan = await runOn('pull_request', { pull_request: { number: 7, head: { sha: HEAD } } }, planFake);
    expect(plan.result.failure).toBeUndefined();
    expect(plan.result.report!.results.map((r) => [r.given, r.outcome])).toEqual([
      [PEOPLE.jane.email, 'scheduled'],
      [PEOPLE.sam.email, 'would-deactivate'],
    ]);
    const comment = planFake.comments[0]!.body;
    expect(comment).toContain('| would-deactivate | scheduled | already-deactivated | blocked | not-found |');
    expect(comment).toMatch(
      /`scheduled` \| Not due yet: deactivated once 2026-12-15 \(00:00 UTC\) has come, not before\./,
    );
    expect(JSON.parse(plan.reporter.outputs.get('scheduled')!)).toEqual([PEOPLE.jane.id]);
    expect(simulator.journal().some((entry) => entry.endpoint === 'deactivateUser')).toBe(false);

    const merged: PullRequestInfo = { ...open, state: 'closed', merged: true, mergeCommitSha: MERGE };
    const push = {
      ref: 'refs/heads/main',
      before: BEFORE,
      after: MERGE,
      repository: { default_branch: 'main' },
    };
    const apply = await runOn('push', push, github(merged));
    expect(apply.result.failure).toBeUndefined();
    expect(simulator.user(PEOPLE.sam.id)?.status).toBe('DEACTIVATED');
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('ACTIVE');
    expect(JSON.parse(apply.reporter.outputs.get('scheduled')!)).toEqual([PEOPLE.jane.id]);
    expect(JSON.parse(apply.reporter.outputs.get('deactivated')!)).toEqual([PEOPLE.sam.id]);
    expect(apply.reporter.summary).toContain('Safety cap: at most 25 deactivations per run (this run: 1).');
  });
});

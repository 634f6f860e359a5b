// Reconcile as the runner starts it: the committed bundle in a Node 24 process on `schedule`, GitHub at the
// fake (a repository history over HTTP, its pull requests, comments and issues), Smartsheet at the simulator,
// and the clock set by SMARTSHEET_OFFBOARD_NOW so a leave date can come. Each test asserts from the
// simulator's journal and users who was deactivated.

import { startSimulator } from '@smartsheet-offboard/simulator';
import { FakeGitHubServer } from '@smartsheet-offboard/testkit/github-server';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DRIFT_MARKER } from '../src/drift-issue.js';
import { COMMENT_MARKER } from '../src/reviewed-plan.js';
import { type ActionRun, deactivations, expectNoSecret, failures, runAction } from './support/bundle.js';
import { FILE, historyOf } from './support/history.js';
import { orgSeed, PEOPLE, SMARTSHEET_TOKEN } from './support/org.js';

const simulator = await startSimulator({ seed: orgSeed(), requestsPerMinute: Infinity });
const github = await new FakeGitHubServer('acme', 'people').start();
afterAll(async () => {
  await simulator.stop();
  await github.stop();
});
beforeEach(() => {
  simulator.reset();
  github.reset();
  for (const login of ['alice', 'bob']) github.permissions.set(login, 'write');
});
afterEach(() => {
  expect(github.violations.splice(0)).toEqual([]);
});

const { commit, mainWith, openPullRequest, review, merge, pushToMain, mainTree } = historyOf(github);
const BEFORE_THE_DATE = '2026-12-14T12:00:00Z';
const AFTER_THE_DATE = '2026-12-16T06:00:00Z';
const repository = { default_branch: 'main' };
const endpoints = { githubUrl: github.url, smartsheetUrl: simulator.url };
const at = (now: string) => ({ env: { SMARTSHEET_OFFBOARD_NOW: now } });

/** Entries as `{ email, deactivate-on }`; a bare email is due at once. */
const entries = (...people: (string | { email: string; on: string })[]) =>
  [
    'users:',
    ...people.map((person) =>
      typeof person === 'string'
        ? `  - email: ${person}`
        : `  - email: ${person.email}\n    deactivate-on: ${person.on}`,
    ),
    '',
  ].join('\n');

const plan = (number: number, now = BEFORE_THE_DATE) =>
  runAction(
    endpoints,
    'pull_request_target',
    { pull_request: { number }, repository },
    {},
    undefined,
    at(now),
  );
const push = (before: string, after: string, now = BEFORE_THE_DATE) =>
  runAction(endpoints, 'push', { ref: 'refs/heads/main', before, after, repository }, {}, after, at(now));
const reconcile = (inputs: Record<string, string> = {}, now = AFTER_THE_DATE) =>
  runAction(endpoints, 'schedule', { schedule: '0 6 * * *' }, inputs, github.branches.get('main'), at(now));

/** Pull request #number adds `content` as `file` on main; planned with the token, approved by bob, merged. */
async function reviewedAndMerged(number: number, file: string, content: string, now = BEFORE_THE_DATE) {
  const start = github.branches.get('main')!;
  const head = commit([start], { ...mainTree(), [file]: content });
  openPullRequest(number, head);
  const planned = await plan(number, now);
  expect(planned.code, planned.stdout).toBe(0);
  review(number, 'bob');
  return { start, merged: merge(number), planned };
}

/** Someone reactivates the user by hand in Smartsheet, as an admin can. */
async function reactivateByHand(id: string) {
  const response = await fetch(`${simulator.url}/users/${id}/reactivate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SMARTSHEET_TOKEN}` },
  });
  expect(response.status).toBe(200);
  expect(simulator.user(id)?.status).toBe('ACTIVE');
}

const report = (run: ActionRun) =>
  JSON.parse(run.outputs.report!) as {
    results: { id?: string; outcome: string; reason?: string; message?: string }[];
  };
const driftIssues = () => github.issues.filter((issue) => issue.body?.startsWith(DRIFT_MARKER));

// Each test starts the bundle several times, each a Node 24 process: allow for a busy machine.
const PROCESSES = { timeout: 180_000 };

describe('reconcile on schedule, end to end', PROCESSES, () => {
  it('an entry due tomorrow stays scheduled on merge and is deactivated by the first reconcile after its date', async () => {
    mainWith({ 'README.md': 'people' });
    const { start, merged, planned } = await reviewedAndMerged(
      7,
      FILE,
      entries({ email: PEOPLE.sam.email, on: '2026-12-15' }, PEOPLE.jane.email),
    );
    expect(planned.summary).toContain('2026-12-15 (00:00 UTC)');
    const applied = await push(start, merged);
    expect(applied.code, applied.stdout).toBe(0);
    expect(JSON.parse(applied.outputs.scheduled!)).toEqual([PEOPLE.sam.id]);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.jane.id]);

    const early = await reconcile({}, BEFORE_THE_DATE);
    expect(early.code, early.stdout).toBe(0);
    expect(JSON.parse(early.outputs.scheduled!)).toEqual([PEOPLE.sam.id]);
    expect(simulator.user(PEOPLE.sam.id)?.status).toBe('ACTIVE');

    github.requests.length = 0;
    const due = await reconcile();
    expect(due.code, due.stdout).toBe(0);
    expect(JSON.parse(due.outputs.deactivated!)).toEqual([PEOPLE.sam.id]);
    expect(simulator.user(PEOPLE.sam.id)?.status).toBe('DEACTIVATED');
    expect(due.summary).toContain('Smartsheet offboarding reconciled');
    expectNoSecret(due, github.comments);
    // Jane was already deactivated: only Sam's provenance was looked up, through one pull request.
    expect(github.requestsFor('pulls/get').map((request) => request.path)).toEqual([
      '/repos/acme/people/pulls/7',
    ]);

    simulator.clearJournal();
    github.requests.length = 0;
    const again = await reconcile();
    expect(again.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([]);
    // With nothing to do, the cost is a few requests per run, whatever the history: the branch, its tree, each
    // offboarding file, and the drift issue.
    expect(github.requests.map((request) => request.operationId)).toEqual([
      'repos/get',
      'repos/get-commit',
      'git/get-tree',
      'repos/get-content',
      'users/get-authenticated',
      'issues/list-for-repo',
    ]);
  });

  it('a cancelled apply is caught up by the next reconcile, and the apply is recorded for drift', async () => {
    mainWith({ 'README.md': 'people' });
    await reviewedAndMerged(7, FILE, entries(PEOPLE.sam.email));
    // The push run was cancelled before it started: nothing was applied.
    const caughtUp = await reconcile();
    expect(caughtUp.code, caughtUp.stdout).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.sam.id]);
    const comment = github.comments.find((c) => c.issueNumber === 7 && c.body.startsWith(COMMENT_MARKER))!;
    expect(comment.body).toContain('Smartsheet offboarding plan');

    // Reactivated by hand: the record says reconcile applied it, so this is drift, not a catch-up.
    await reactivateByHand(PEOPLE.sam.id);
    simulator.clearJournal();
    const drifted = await reconcile();
    expect(drifted.code, drifted.stdout).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(JSON.parse(drifted.outputs.drifted!)).toEqual([PEOPLE.sam.id]);
  });

  it('an entry added by a direct push (no pull request) is refused; the approved one beside it is applied', async () => {
    mainWith({ 'README.md': 'people' });
    await reviewedAndMerged(7, FILE, entries(PEOPLE.jane.email));
    pushToMain({ ...mainTree(), 'offboarding/2026-12.yaml': entries(PEOPLE.sam.email) });
    const run = await reconcile();
    expect(run.code).toBe(1);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.jane.id]);
    expect(simulator.user(PEOPLE.sam.id)?.status).toBe('ACTIVE');
    const sam = report(run).results.find((result) => result.id === PEOPLE.sam.id)!;
    expect(sam).toMatchObject({ outcome: 'blocked', reason: 'not-reviewed' });
    expect(sam.message).toMatch(/belongs to no pull request merged into main that adds it/);
    expect(failures(run)).toHaveLength(1);
  });

  it('a reactivated user is reported in one issue, updated on the next run, closed once resolved; revert deactivates again', async () => {
    mainWith({ 'README.md': 'people' });
    const { start, merged } = await reviewedAndMerged(7, FILE, entries(PEOPLE.sam.email));
    expect((await push(start, merged)).code).toBe(0);
    await reactivateByHand(PEOPLE.sam.id);
    simulator.clearJournal();

    const first = await reconcile();
    expect(first.code, first.stdout).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(JSON.parse(first.outputs.drifted!)).toEqual([PEOPLE.sam.id]);
    expect(first.summary).toContain('#### Active again since an earlier apply (drift)');
    expect(first.stdout).toMatch(
      /::warning title=Drift::Active again after an earlier apply: sam\.lee@example\.com/,
    );
    expect(driftIssues()).toHaveLength(1);
    const [issue] = driftIssues();
    expect(issue).toMatchObject({ state: 'open', labels: ['smartsheet-offboard-drift'] });
    expect(issue!.body).toContain(PEOPLE.sam.email);

    issue!.body = `${DRIFT_MARKER}\n(stale)`;
    const second = await reconcile();
    expect(second.code).toBe(0);
    expect(driftIssues()).toHaveLength(1);
    expect(driftIssues()[0]!.body).toContain(PEOPLE.sam.email);

    const reverted = await reconcile({ drift: 'revert' });
    expect(reverted.code, reverted.stdout).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.sam.id]);
    expect(JSON.parse(reverted.outputs.drifted!)).toEqual([PEOPLE.sam.id]);

    const resolved = await reconcile();
    expect(resolved.code).toBe(0);
    expect(driftIssues()).toHaveLength(1);
    expect(driftIssues()[0]!.state).toBe('closed');
  });

  it('an entry removed by a merged pull request is not reverted, whatever its user does', async () => {
    mainWith({ 'README.md': 'people' });
    const { start, merged } = await reviewedAndMerged(7, FILE, entries(PEOPLE.sam.email, PEOPLE.jane.email));
    expect((await push(start, merged)).code).toBe(0);
    await reviewedAndMerged(8, FILE, entries(PEOPLE.jane.email));
    await reactivateByHand(PEOPLE.sam.id);
    simulator.clearJournal();
    const run = await reconcile({ drift: 'revert' });
    expect(run.code, run.stdout).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(simulator.user(PEOPLE.sam.id)?.status).toBe('ACTIVE');
    expect(JSON.parse(run.outputs.drifted!)).toEqual([]);
  });
});

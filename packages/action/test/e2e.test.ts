// Runs the committed bundle the way a GitHub runner does: a separate Node 24 process, inputs as INPUT_*
// variables, the event in a file, outputs and the job summary written to files, GitHub's API at a local
// fake, and Smartsheet at the simulator.
import { readFile } from 'node:fs/promises';
import { startSimulator } from '@smartsheet-offboard/simulator';
import {
  type FakeComment,
  FakeGitHubServer,
  type FakePull,
} from '@smartsheet-offboard/testkit/github-server';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../src/reviewed-plan.js';
import {
  type ActionRun,
  deactivations,
  expectNoSecret as expectNoSecretIn,
  failures,
  GITHUB_TOKEN,
  runAction as runBundle,
} from './support/bundle.js';
import { CLEAN, FILE, MIXED, SAFE_OUTPUTS } from './support/fixtures.js';
import { orgSeed, PEOPLE } from './support/org.js';

const simulator = await startSimulator({ seed: orgSeed(), requestsPerMinute: Infinity });
const github = await new FakeGitHubServer('acme', 'people').start();
for (const login of ['alice', 'bob', 'carol']) github.permissions.set(login, 'write');
afterAll(async () => {
  await simulator.stop();
  await github.stop();
});
beforeEach(() => simulator.reset());
// Every request the bundle made, and every answer of the fake, as GitHub's REST description says.
afterEach(() => {
  expect(github.violations.splice(0)).toEqual([]);
});

const sha = (n: number, kind: 'base' | 'head' | 'merge') =>
  `${{ base: 'f', head: 'a', merge: 'b' }[kind]}${String(n).padStart(39, '0')}`;

/**
 * A pull request by alice that adds one offboarding file (and touches the README), on a main that had
 * none; merged, its merge commit is main's next commit.
 */
function addPullRequest(number: number, content: string, options: { merged?: boolean } = {}): FakePull {
  const base = sha(number, 'base');
  github.commits.set(base, { parents: [], tree: { 'README.md': 'people' } });
  github.commits.set(sha(number, 'head'), {
    parents: [base],
    tree: { 'README.md': 'people!', [FILE]: content },
  });
  github.branches.set('main', base);
  const pull: FakePull = {
    number,
    user: { login: 'alice' },
    head: { sha: sha(number, 'head') },
    base: { ref: 'main' },
    merged_at: null,
    merge_commit_sha: null,
  };
  github.pulls.set(number, pull);
  github.reviews.set(number, []);
  if (options.merged) merge(number);
  return pull;
}

function merge(number: number) {
  const pull = github.pulls.get(number)!;
  github.commits.set(sha(number, 'merge'), {
    parents: [sha(number, 'base'), pull.head.sha],
    tree: github.commits.get(pull.head.sha)!.tree,
  });
  pull.merged_at = '2026-11-26T12:00:00Z';
  pull.merge_commit_sha = sha(number, 'merge');
  for (const commit of [pull.head.sha, sha(number, 'merge')]) github.commitPulls.set(commit, [pull]);
  github.branches.set('main', sha(number, 'merge'));
}

function approve(number: number, reviewer: string) {
  github.reviews
    .get(number)!
    .push({ user: { login: reviewer }, state: 'APPROVED', commit_id: sha(number, 'head') });
}

const runAction = (eventName: string, payload: object, inputs: Record<string, string> = {}) =>
  runBundle(
    { githubUrl: github.url, smartsheetUrl: simulator.url },
    eventName,
    payload,
    inputs,
    sha(1, 'head'),
  );
const pushOf = (number: number) => ({
  ref: 'refs/heads/main',
  before: sha(number, 'base'),
  after: sha(number, 'merge'),
  repository: { default_branch: 'main' },
});
const planOf = (number: number) =>
  runAction('pull_request_target', { pull_request: { number }, repository: { default_branch: 'main' } });

const commentsOn = (number: number): FakeComment[] => github.comments.filter((c) => c.issueNumber === number);
const expectNoSecret = (run: ActionRun) => expectNoSecretIn(run, github.comments);

describe('the bundle under Node 24, as the runner starts it', () => {
  it('pull_request: plans the added file, comments once, annotates the blocked line and fails', async () => {
    addPullRequest(7, MIXED);
    const run = await runAction('pull_request', {
      pull_request: { number: 7 },
      repository: { default_branch: 'main' },
    });

    expect(run.code).toBe(1);
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(simulator.journal().length).toBeGreaterThan(0);
    expect(run.stdout).toMatch(
      new RegExp(`::error title=Email on a common ISP domain,file=${FILE},line=6::`),
    );
    expect(failures(run)).toEqual([
      '::error::Some users would not end deactivated (1 blocked); see the annotations and the job summary.',
    ]);

    expect(run.outputs['plan-digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(run.outputs.blocked!)).toEqual([PEOPLE.isp.email]);
    expect(JSON.parse(run.outputs.deactivated!)).toEqual([]);
    const report = JSON.parse(run.outputs.report!);
    expect(report.mode).toBe('plan');
    expect(report.results.map((r: { id?: string }) => r.id)).toContain(PEOPLE.big.id);
    expect(run.outputs['report-path']!.startsWith(run.runnerTemp)).toBe(true);
    expect(JSON.parse(await readFile(run.outputs['report-path']!, 'utf8'))).toEqual(report);

    const comments = commentsOn(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comments[0]!.body).toContain('Smartsheet offboarding plan');
    expect(comments[0]!.body).toContain(run.outputs['plan-digest']);
    expect(comments[0]!.body).toContain('`isp-domain`');
    expect(run.summary).toContain('| would-deactivate | already-deactivated | blocked | not-found |');
    expect(run.summary).toContain('| 2 | 1 | 1 | 0 |');
    expect(github.requests.some((r) => r.authorization !== `token ${GITHUB_TOKEN}`)).toBe(false);
    expectNoSecret(run);
  });

  it('push: applies a merged pull request approved on its final commit and updates its comment', async () => {
    addPullRequest(8, CLEAN);
    approve(8, 'bob');
    const plan = await planOf(8);
    expect(plan.code).toBe(0);
    expect(commentsOn(8)).toHaveLength(1);
    merge(8);
    simulator.reset();

    const run = await runAction('push', pushOf(8));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(failures(run)).toEqual([]);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.jane.id, PEOPLE.big.id].sort());
    expect(simulator.user(PEOPLE.big.id)?.status).toBe('DEACTIVATED');
    for (const entry of simulator.journal()) {
      expect(entry.headers['smartsheet-change-agent']).toBe(
        'smartsheet-offboard-action acme/people pr#8 run 777/1',
      );
      expect(entry.headers['smartsheet-integration-source']).toBe('SCRIPT,acme,smartsheet-offboard');
    }
    expect(JSON.parse(run.outputs.deactivated!).sort()).toEqual([PEOPLE.jane.id, PEOPLE.big.id].sort());
    expect(JSON.parse(run.outputs['already-deactivated']!)).toEqual([PEOPLE.gone.id]);
    expect(run.outputs['plan-digest']).toBe(plan.outputs['plan-digest']);

    const comments = commentsOn(8);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('Smartsheet offboarding applied');
    expect(comments[0]!.body).toContain('Approved by bob.');
    expect(run.summary).toContain('| 2 | 1 | 0 | 0 | 0 |');
    expectNoSecret(run);
  });

  it('push: refuses a merged pull request without an approval, and deactivates nobody', async () => {
    addPullRequest(9, CLEAN, { merged: true });
    approve(9, 'alice');
    const run = await runAction('push', pushOf(9));
    expect(run.code).toBe(1);
    expect(simulator.journal()).toEqual([]);
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('ACTIVE');
    expect(failures(run)).toEqual([
      '::error::Pull request #9 has 0 of the 1 required approvals on its final commit a000000 from reviewers ' +
        'with write access who did not write any of it; nothing was changed.',
    ]);
    expect(run.outputs.deactivated).toBe('[]');
    expect(commentsOn(9)[0]!.body).toContain('**Refused:**');
    expectNoSecret(run);
  });

  it('pull_request_review: applies on an approval of the head commit', async () => {
    addPullRequest(10, CLEAN);
    await planOf(10);
    simulator.reset();
    approve(10, 'carol');
    const run = await runAction('pull_request_review', {
      pull_request: { number: 10 },
      review: { state: 'approved', user: { login: 'carol' } },
      repository: { default_branch: 'main' },
    });
    expect(run.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.jane.id, PEOPLE.big.id].sort());
    expect(
      github.requests.some((r) => decodeURIComponent(r.path) === `/repos/acme/people/contents/${FILE}`),
    ).toBe(true);
    expect(commentsOn(10)[0]!.body).toContain('Smartsheet offboarding applied');
    expectNoSecret(run);
  });

  it('workflow_dispatch: applies user-ids and emails, and a plan-mode dispatch changes nothing', async () => {
    const plan = await runAction('workflow_dispatch', {}, { mode: 'plan', 'user-ids': PEOPLE.sam.id });
    expect(plan.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(plan.summary).toContain('`would-deactivate`');

    const run = await runAction(
      'workflow_dispatch',
      {},
      { 'user-ids': `${PEOPLE.sam.id}\n${PEOPLE.gone.id}`, emails: 'jane.doe@example.com' },
    );
    expect(run.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.jane.id, PEOPLE.sam.id].sort());
    expect(JSON.parse(run.outputs.deactivated!).sort()).toEqual([PEOPLE.jane.id, PEOPLE.sam.id].sort());
    expect(JSON.parse(run.outputs['already-deactivated']!)).toEqual([PEOPLE.gone.id]);
    expect(run.summary).toContain('#### Given as inputs');
    expectNoSecret(run);
  });

  it('any other event: fails once, naming the supported events', async () => {
    const run = await runAction('issue_comment', {});
    expect(run.code).toBe(1);
    expect(failures(run)).toEqual([
      "::error::smartsheet-offboard does not handle the 'issue_comment' event; run it on pull_request_target, " +
        'pull_request, push, pull_request_review, workflow_dispatch, or schedule (to reconcile)',
    ]);
    expect(run.outputs.deactivated).toBe('[]');
    expect(simulator.journal()).toEqual([]);
  });

  it('an invalid input: fails once, naming it, with every output at its safe default', async () => {
    const run = await runAction('workflow_dispatch', {}, { mode: 'yes', 'user-ids': PEOPLE.sam.id });
    expect(run.code).toBe(1);
    expect(failures(run)).toEqual([
      `::error::Input 'mode' has the invalid value "yes": expected one of auto, plan, apply, reconcile, reactivate`,
    ]);
    expect(run.outputs).toEqual(SAFE_OUTPUTS);
    expect(simulator.journal()).toEqual([]);
    expectNoSecret(run);
  });
});

// Runs the committed bundle the way a GitHub runner does: a separate Node 24 process, inputs as INPUT_*
// variables, the event in a file, outputs and the job summary written to files, GitHub's API at a local
// fake, and Smartsheet at the simulator.
import { readFile } from 'node:fs/promises';
import { node24Path } from '@smartsheet-offboard/node24';
import { type JournalEntry, startSimulator } from '@smartsheet-offboard/simulator';
import {
  type FakeComment,
  FakeGitHubServer,
  type FakePull,
} from '@smartsheet-offboard/testkit/github-server';
import { type BundleRun, runActionBundle } from '@smartsheet-offboard/testkit/processes';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../src/reviewed-plan.js';
import { CLEAN, FILE, MIXED, SAFE_OUTPUTS } from './support/fixtures.js';
import { orgSeed, PEOPLE, SMARTSHEET_TOKEN } from './support/org.js';

const GITHUB_TOKEN = 'ghs_e2eFakeGitHubToken0123';
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

const sha = (n: number, kind: 'head' | 'merge') =>
  `${kind === 'head' ? 'a' : 'b'}${String(n).padStart(39, '0')}`;

/** A pull request by alice that adds one offboarding file (and touches the README). */
function addPullRequest(number: number, content: string, options: { merged?: boolean } = {}): FakePull {
  const pull: FakePull = {
    number,
    user: { login: 'alice' },
    head: { sha: sha(number, 'head') },
    base: { ref: 'main' },
    merged_at: options.merged ? '2026-11-26T12:00:00Z' : null,
    merge_commit_sha: options.merged ? sha(number, 'merge') : null,
  };
  github.pulls.set(number, pull);
  github.files.set(number, [
    { filename: 'README.md', status: 'modified' },
    { filename: FILE, status: 'added' },
  ]);
  github.contents.set(`${sha(number, 'head')}:${FILE}`, content);
  github.contents.set(`${sha(number, 'merge')}:${FILE}`, content);
  if (options.merged) github.commitPulls.set(sha(number, 'merge'), [pull]);
  github.reviews.set(number, []);
  return pull;
}

function approve(number: number, reviewer: string) {
  github.reviews
    .get(number)!
    .push({ user: { login: reviewer }, state: 'APPROVED', commit_id: sha(number, 'head') });
}

/** Inputs as the runner passes them: every input with its action.yml default unless given. */
const DEFAULT_INPUTS: Record<string, string> = {
  mode: 'auto',
  'allow-admins': 'false',
  'max-deactivations': '25',
  'required-approvals': '1',
  'requests-per-minute': '300',
  'comment-on-pr': 'true',
  'github-token': GITHUB_TOKEN,
};

function runAction(
  eventName: string,
  payload: object,
  inputs: Record<string, string> = {},
): Promise<BundleRun> {
  return runActionBundle({
    eventName,
    payload,
    inputs: {
      ...DEFAULT_INPUTS,
      'smartsheet-token': SMARTSHEET_TOKEN,
      'api-base-url': simulator.url,
      ...inputs,
    },
    githubApiUrl: github.url,
    sha: sha(1, 'head'),
    runId: '777',
    node: node24Path,
  });
}

const deactivations = (journal: JournalEntry[]) =>
  journal
    .filter((entry) => entry.endpoint === 'deactivateUser')
    .map((entry) => entry.userId)
    .sort();

const commentsOn = (number: number): FakeComment[] => github.comments.filter((c) => c.issueNumber === number);

/** The token may reach the runner only in its `::add-mask::` command, which hides it from logs. */
function expectNoSecret(run: BundleRun) {
  const visible = [
    run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
    JSON.stringify(github.comments),
  ].join('\n');
  for (const secret of [SMARTSHEET_TOKEN, GITHUB_TOKEN]) expect(visible).not.toContain(secret);
  expect(run.stdout).toContain(`::add-mask::${SMARTSHEET_TOKEN}`);
}

/** `core.setFailed` writes one `::error::` line without a file; annotations carry `file=`. */
const failures = (run: BundleRun) => run.stdout.split('\n').filter((line) => line.startsWith('::error::'));

describe('the bundle under Node 24, as the runner starts it', () => {
  it('pull_request: plans the added file, comments once, annotates the blocked line and fails', async () => {
    addPullRequest(7, MIXED);
    const run = await runAction('pull_request', {
      pull_request: { number: 7, head: { sha: sha(7, 'head') } },
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
    addPullRequest(8, CLEAN, { merged: true });
    approve(8, 'bob');
    const plan = await runAction('pull_request', { pull_request: { number: 8 } });
    expect(plan.code).toBe(0);
    expect(commentsOn(8)).toHaveLength(1);
    simulator.reset();

    const run = await runAction('push', {
      ref: 'refs/heads/main',
      after: sha(8, 'merge'),
      repository: { default_branch: 'main' },
    });
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
    const run = await runAction('push', {
      ref: 'refs/heads/main',
      after: sha(9, 'merge'),
      repository: { default_branch: 'main' },
    });
    expect(run.code).toBe(1);
    expect(simulator.journal()).toEqual([]);
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('ACTIVE');
    expect(failures(run)).toEqual([
      '::error::Pull request #9 has 0 of the 1 required approvals from reviewers with write access other than ' +
        'its author standing on its final commit a000000; nothing was changed.',
    ]);
    expect(run.outputs.deactivated).toBe('[]');
    expect(commentsOn(9)[0]!.body).toContain('**Refused:**');
    expectNoSecret(run);
  });

  it('pull_request_review: applies on an approval of the head commit', async () => {
    addPullRequest(10, CLEAN);
    approve(10, 'carol');
    const run = await runAction('pull_request_review', {
      pull_request: { number: 10 },
      review: { state: 'approved', user: { login: 'carol' } },
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
      "::error::smartsheet-offboard does not handle the 'issue_comment' event; run it on pull_request, push, " +
        'pull_request_review, workflow_dispatch',
    ]);
    expect(run.outputs.deactivated).toBe('[]');
    expect(simulator.journal()).toEqual([]);
  });

  it('an invalid input: fails once, naming it, with every output at its safe default', async () => {
    const run = await runAction('workflow_dispatch', {}, { mode: 'yes', 'user-ids': PEOPLE.sam.id });
    expect(run.code).toBe(1);
    expect(failures(run)).toEqual([
      `::error::Input 'mode' has the invalid value "yes": expected one of auto, plan, apply, reactivate`,
    ]);
    expect(run.outputs).toEqual(SAFE_OUTPUTS);
    expect(simulator.journal()).toEqual([]);
    expectNoSecret(run);
  });
});

// The trust model, attacked as someone inside the company would: each attack of issue 9 runs the committed
// bundle as a process against a fake GitHub (a small repository history over HTTP) and the simulator, and
// asserts from the simulator's journal who was deactivated, and that a refusal changed nothing.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Seed, startSimulator } from '@smartsheet-offboard/simulator';
import { FakeGitHubServer, type FakePullCommit } from '@smartsheet-offboard/testkit/github-server';
import { CALLER } from '@smartsheet-offboard/testkit/orgs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../src/reviewed-plan.js';
import {
  type ActionRun,
  deactivations,
  expectNoSecret,
  failures,
  GITHUB_TOKEN,
  runAction,
} from './support/bundle.js';
import { FILE, historyOf, yaml } from './support/history.js';
import { orgSeed, PEOPLE, SMARTSHEET_TOKEN } from './support/org.js';

/** A new hire who got the address an old employee had (attack 2). */
const NEW_HIRE = { id: '2000000000000099', email: PEOPLE.sam.email };
const ROTATED_TOKEN = 'action-test-token-rotated-77f0c3';
const reassignedSeed = (): Seed => ({
  ...orgSeed(),
  tokens: { [SMARTSHEET_TOKEN]: CALLER.id, [ROTATED_TOKEN]: CALLER.id },
  users: [
    ...(orgSeed().users ?? []).filter((user) => user.id !== PEOPLE.sam.id),
    { id: PEOPLE.sam.id, email: 'sam.lee.old@example.com' },
    NEW_HIRE,
  ],
});

const simulator = await startSimulator({ seed: orgSeed(), requestsPerMinute: Infinity });
const reassigned = await startSimulator({ seed: reassignedSeed(), requestsPerMinute: Infinity });
const github = await new FakeGitHubServer('acme', 'people').start();
afterAll(async () => {
  await simulator.stop();
  await reassigned.stop();
  await github.stop();
});
beforeEach(() => {
  simulator.reset();
  reassigned.reset();
  github.reset();
  for (const login of ['alice', 'bob', 'carol', 'dan']) github.permissions.set(login, 'write');
  github.permissions.set('eve', 'read');
});
afterEach(() => {
  expect(github.violations.splice(0)).toEqual([]);
});

const { commit, mainWith, openPullRequest, review, merge } = historyOf(github);

const endpoints = (smartsheet = simulator) => ({ githubUrl: github.url, smartsheetUrl: smartsheet.url });
const repository = { default_branch: 'main' };
const plan = (number: number, inputs: Record<string, string> = {}, smartsheet = simulator) =>
  runAction(endpoints(smartsheet), 'pull_request_target', { pull_request: { number }, repository }, inputs);
const push = (before: string, after: string, inputs: Record<string, string> = {}, smartsheet = simulator) =>
  runAction(
    endpoints(smartsheet),
    'push',
    { ref: 'refs/heads/main', before, after, repository },
    inputs,
    after,
  );
const commentOf = (number: number) =>
  github.comments.filter(
    (comment) => comment.issueNumber === number && comment.body.startsWith(COMMENT_MARKER),
  );

/** A refusal: the run failed once, with `message`, and Smartsheet was asked nothing that changes a user. */
function expectRefused(run: ActionRun, message: string) {
  expect(run.code).toBe(1);
  expect(failures(run).join('\n')).toContain(message);
  expect(deactivations(simulator.journal())).toEqual([]);
  expect(deactivations(reassigned.journal())).toEqual([]);
  expect(JSON.parse(run.outputs.deactivated!)).toEqual([]);
}

/** main lists jane (offboarded long ago); pull request #7 adds sam; planned, approved by bob, merged. */
async function reviewedAndMerged(options: { commits?: (head: string) => FakePullCommit[] } = {}) {
  const base = mainWith({ [FILE]: yaml(PEOPLE.jane.email), 'README.md': 'people' });
  const head = commit([base], { [FILE]: yaml(PEOPLE.jane.email, PEOPLE.sam.email), 'README.md': 'people' });
  openPullRequest(7, head, options.commits ? { commits: options.commits(head) } : {});
  const planned = await plan(7);
  review(7, 'bob');
  const merged = merge(7);
  simulator.clearJournal();
  return { base, head, merged, planned };
}

// Each test starts the bundle several times (plan, then applies), each a Node 24 process: allow for a busy machine.
const PROCESSES = { timeout: 120_000 };

describe('the good path, end to end', PROCESSES, () => {
  it('plan on pull_request_target with the token → approval → merge → exactly the added entry deactivated', async () => {
    const { base, merged, planned } = await reviewedAndMerged();
    expect(planned.stdout.split('\n').filter((line) => line.startsWith('::'))).toEqual([
      `::add-mask::${SMARTSHEET_TOKEN}`,
      `::add-mask::${GITHUB_TOKEN}`,
    ]);
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(0);
    const [planComment] = commentOf(7);
    expect(planComment!.body).toMatch(
      /^<!-- smartsheet-offboard:sticky-comment -->\n<!-- smartsheet-offboard:reviewed-plan v1\./,
    );
    expect(planComment!.body).toContain(PEOPLE.sam.email);
    expect(planComment!.body).not.toContain(PEOPLE.jane.email);
    expect(planComment!.body).toContain(
      '1 entry was already in the offboarding files before this pull request',
    );
    expectNoSecret(planned, github.comments);

    const run = await push(base, merged);
    expect(run.stderr).toBe('');
    expect(failures(run)).toEqual([]);
    expect(run.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.sam.id]);
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('ACTIVE');
    for (const entry of simulator.journal()) {
      expect(entry.headers['smartsheet-change-agent']).toBe(
        'smartsheet-offboard-action acme/people pr#7 run 777/1',
      );
    }
    expect(JSON.parse(run.outputs.deactivated!)).toEqual([PEOPLE.sam.id]);
    expect(run.outputs['plan-digest']).toBe(planned.outputs['plan-digest']);
    const comments = commentOf(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('Smartsheet offboarding applied');
    expect(comments[0]!.body).toContain('Approved by bob.');
    expect(comments[0]!.body).toContain('`deactivated`');
    // The record is carried forward, so a re-run of the apply still finds it and changes nothing more.
    expect(comments[0]!.body).toContain('<!-- smartsheet-offboard:reviewed-plan v1.');
    const again = await push(base, merged);
    expect(again.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.sam.id]);
    expect(JSON.parse(again.outputs['already-deactivated']!)).toEqual([PEOPLE.sam.id]);
    expectNoSecret(run, github.comments);
  });
});

describe('the attacks of issue 9, each refused or contained', PROCESSES, () => {
  it('1. a co-author who pushed a commit to the pull request cannot approve it', async () => {
    const { base, merged } = await reviewedAndMerged({
      commits: (head) => [
        { sha: head, author: { login: 'alice' }, committer: { login: 'alice' } },
        {
          sha: createHash('sha1').update('bob').digest('hex'),
          author: { login: 'bob' },
          committer: { login: 'bob' },
        },
      ],
    });
    const run = await push(base, merged);
    expectRefused(run, 'not counted: bob, who authored or committed some of its commits');
  });

  it('2. the reviewed plan binds: an address reassigned to a new hire after review is not-reviewed', async () => {
    const { base, merged } = await reviewedAndMerged();
    const run = await push(base, merged, {}, reassigned);
    expect(run.code).toBe(1);
    expect(deactivations(reassigned.journal())).toEqual([]);
    expect(reassigned.user(NEW_HIRE.id)?.status).toBe('ACTIVE');
    const report = JSON.parse(run.outputs.report!);
    expect(report.results).toMatchObject([{ id: NEW_HIRE.id, outcome: 'blocked', reason: 'not-reviewed' }]);
    expect(commentOf(7)[0]!.body).toContain('`not-reviewed`');
  });

  it('2b. re-planning the same commit after the reassignment cannot replace the reviewed users', async () => {
    const base = mainWith({ [FILE]: yaml(PEOPLE.jane.email) });
    const head = commit([base], { [FILE]: yaml(PEOPLE.jane.email, PEOPLE.sam.email) });
    openPullRequest(7, head);
    await plan(7);
    review(7, 'bob');
    // The pull request is closed and reopened (or its plan re-run) after the address moved.
    const replanned = await plan(7, {}, reassigned);
    expect(replanned.stdout).toContain('first plan of this commit stays the reviewed one');
    const run = await push(base, merge(7), {}, reassigned);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.outputs.report!).results).toMatchObject([
      { id: NEW_HIRE.id, reason: 'not-reviewed' },
    ]);
    expect(deactivations(reassigned.journal())).toEqual([]);
  });

  it('3. a stale head does not re-apply what main removed: only the entry the branch adds', async () => {
    const start = mainWith({ [FILE]: yaml(PEOPLE.jane.email, PEOPLE.big.email) });
    const head = commit([start], { [FILE]: yaml(PEOPLE.jane.email, PEOPLE.big.email, PEOPLE.sam.email) });
    // Main removes jane after the branch was made.
    const removed = commit([start], { [FILE]: yaml(PEOPLE.big.email) });
    github.branches.set('main', removed);
    openPullRequest(8, head);
    await plan(8);
    review(8, 'bob');
    const merged = merge(8, { [FILE]: yaml(PEOPLE.big.email, PEOPLE.sam.email) });
    simulator.clearJournal();
    const run = await push(removed, merged);
    expect(run.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.sam.id]);
  });

  it('3b. a merge that adds other entries than the approved head refuses: update the branch', async () => {
    const start = mainWith({ [FILE]: yaml(PEOPLE.big.email) });
    const head = commit([start], { [FILE]: yaml(PEOPLE.big.email, PEOPLE.sam.email) });
    openPullRequest(8, head);
    await plan(8);
    review(8, 'bob');
    const merged = merge(8, { [FILE]: yaml(PEOPLE.big.email, PEOPLE.sam.email, PEOPLE.jane.email) });
    simulator.clearJournal();
    expectRefused(await push(start, merged), 'update the branch and approve again');
  });

  it('4. a pure rename into archive/ and a re-worded reason deactivate nobody again', async () => {
    const start = mainWith({ [FILE]: yaml(PEOPLE.jane.email, PEOPLE.big.email) });
    const reworded = `users:\n  - email: ${PEOPLE.jane.email}\n    reason: Left the company (typo fixed)\n  - email: ${PEOPLE.big.email}\n`;
    const head = commit([start], { 'offboarding/archive/2026-11.yaml': reworded });
    openPullRequest(9, head);
    const planned = await plan(9);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('adds nobody to the offboarding files');
    review(9, 'bob');
    const merged = merge(9);
    const run = await push(start, merged);
    expect(run.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([]);
  });

  it('5. a standing request for changes from another writer refuses, whatever the approvals', async () => {
    const { base, merged } = await reviewedAndMerged();
    review(7, 'carol', 'CHANGES_REQUESTED');
    expectRefused(await push(base, merged), 'standing request for changes from carol');
  });

  it('6. a push that lands several pull requests applies each with its own approvals and comment', async () => {
    const start = mainWith({ [FILE]: yaml(PEOPLE.gone.email) });
    const first = commit([start], { [FILE]: yaml(PEOPLE.gone.email, PEOPLE.jane.email) });
    openPullRequest(10, first);
    await plan(10);
    review(10, 'bob');
    const second = commit([start], { 'offboarding/2026-12.yaml': yaml(PEOPLE.sam.email) });
    openPullRequest(11, second);
    await plan(11);
    review(11, 'carol');
    merge(10);
    const after = merge(11, {
      [FILE]: yaml(PEOPLE.gone.email, PEOPLE.jane.email),
      'offboarding/2026-12.yaml': yaml(PEOPLE.sam.email),
    });
    simulator.clearJournal();
    const run = await push(start, after);
    expect(run.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.jane.id, PEOPLE.sam.id].sort());
    expect(commentOf(10)[0]!.body).toContain('Approved by bob.');
    expect(commentOf(11)[0]!.body).toContain('Approved by carol.');
    expect(commentOf(10)[0]!.body).toContain('Smartsheet offboarding applied');
    expect(JSON.parse(run.outputs.deactivated!).sort()).toEqual([PEOPLE.jane.id, PEOPLE.sam.id].sort());
  });

  it('6b. one unapproved pull request in the pushed range refuses the whole run before any deactivation', async () => {
    const start = mainWith({ [FILE]: yaml(PEOPLE.gone.email) });
    const first = commit([start], { [FILE]: yaml(PEOPLE.gone.email, PEOPLE.jane.email) });
    openPullRequest(10, first);
    await plan(10);
    review(10, 'bob');
    const second = commit([start], { 'offboarding/2026-12.yaml': yaml(PEOPLE.sam.email) });
    openPullRequest(11, second);
    await plan(11);
    merge(10);
    const after = merge(11, {
      [FILE]: yaml(PEOPLE.gone.email, PEOPLE.jane.email),
      'offboarding/2026-12.yaml': yaml(PEOPLE.sam.email),
    });
    simulator.clearJournal();
    expectRefused(await push(start, after), 'Pull request #11 has 0 of the 1 required approvals');
    // And a commit pushed straight to main refuses too.
    const direct = commit([after], {
      [FILE]: yaml(PEOPLE.gone.email, PEOPLE.jane.email, PEOPLE.big.email),
      'offboarding/2026-12.yaml': yaml(PEOPLE.sam.email),
    });
    expectRefused(await push(after, direct), 'belongs to no pull request merged into main by this push');
  });

  it('7. pull_request_review applies only an open pull request based on the default branch', async () => {
    const start = mainWith({});
    github.branches.set('release', start);
    const head = commit([start], { [FILE]: yaml(PEOPLE.sam.email) });
    const pull = openPullRequest(12, head, { base: 'release' });
    await plan(12);
    review(12, 'bob');
    const approval = () =>
      runAction(endpoints(), 'pull_request_review', {
        pull_request: { number: 12 },
        review: { state: 'approved' },
        repository,
      });
    expectRefused(await approval(), 'based on release, not on the default branch main');
    pull.base.ref = 'main';
    pull.state = 'closed';
    expectRefused(await approval(), 'is closed');
    pull.state = 'open';
    const run = await approval();
    expect(run.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.sam.id]);
  });

  it('9. text from Smartsheet and files cannot start a workflow command in the log', async () => {
    const start = mainWith({});
    const hostile = `users:\n  - email: ${PEOPLE.isp.email}\n    reason: "x\\n::warning title=pwned::injected"\n  - id: "${PEOPLE.gone.id}"\n`;
    const head = commit([start], { 'offboarding/2026-11-::warning::x.yaml': hostile });
    openPullRequest(13, head);
    const run = await plan(13);
    expect(run.stdout.split('\n').filter((line) => /^\s*::warning title=pwned/.test(line))).toEqual([]);
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::warning::x'))).toEqual([]);
  });

  it('10. a comment by another app carrying the marker and a record is neither believed nor overwritten', async () => {
    const { base, merged } = await reviewedAndMerged();
    const ours = commentOf(7)[0]!;
    // Another app copies our comment (record and all) and ours is gone: its copy must not count.
    github.comments.length = 0;
    github.comments.push({ ...ours, id: 1, user: { login: 'other-app[bot]', type: 'Bot' } });
    expectRefused(await push(base, merged), 'No valid reviewed plan for commit');
    expect(github.comments[0]!.body).toBe(ours.body);
  });

  it('10b. an altered record, or one made before the token was rotated, does not count', async () => {
    const { base, merged } = await reviewedAndMerged();
    const ours = commentOf(7)[0]!;
    const original = ours.body;
    ours.body = original.replace(
      /(reviewed-plan v1\.)([A-Za-z0-9_-])/,
      (_, prefix, char) => `${prefix}${char === 'e' ? 'f' : 'e'}`,
    );
    expectRefused(await push(base, merged), 'does not verify with the Smartsheet token');
    ours.body = original;
    expectRefused(
      await push(base, merged, { 'smartsheet-token': ROTATED_TOKEN }, reassigned),
      'made before the token was rotated',
    );
    // Without a reviewed plan the apply goes on only when asked to, still to the approved entries only.
    const unbound = await push(base, merged, { 'require-reviewed-plan': 'false' });
    expect(unbound.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.sam.id]);
  });

  it('11. pull_request_target plans with the token, reading the pull request only through the API', async () => {
    const { planned } = await reviewedAndMerged();
    expect(planned.code).toBe(0);
    expect(planned.summary).toContain('Smartsheet offboarding plan');
    expect(
      github
        .requestsFor('repos/get-content')
        .every((request) => /^[0-9a-f]{40}$/.test(request.query.get('ref') ?? '')),
    ).toBe(true);
  });
});

/**
 * Each fault ends within this bound: GitHub calls here give up an attempt after 1 s (3 attempts, with the
 * retry plugin's waits of 1 s and 4 s between them), so the slowest, a hang, ends in about 8 s.
 */
const FAULT_BOUND_MS = 20_000;
const FAST_GITHUB = { env: { SMARTSHEET_OFFBOARD_GITHUB_TIMEOUT_SECONDS: '1' }, timeoutMs: 40_000 };

describe('GitHub failing, through the bundle: each run ends within the bound, with its outcome', {
  timeout: 60_000,
}, () => {
  const planWith = (number: number, process: Parameters<typeof runAction>[5] = FAST_GITHUB) =>
    runAction(
      endpoints(),
      'pull_request_target',
      { pull_request: { number }, repository },
      {},
      undefined,
      process,
    );
  const pushWith = (before: string, after: string, process: Parameters<typeof runAction>[5] = FAST_GITHUB) =>
    runAction(endpoints(), 'push', { ref: 'refs/heads/main', before, after, repository }, {}, after, process);
  /** The run, within the bound, its time logged for the record. */
  function timed(name: string, run: ActionRun): ActionRun {
    console.info(`${name}: ${Math.round(run.elapsedMs)} ms`);
    expect(run.signal).toBeNull();
    expect(run.elapsedMs).toBeLessThan(FAULT_BOUND_MS);
    // GitHub's own error page never reaches the log.
    expect(run.stdout).not.toContain('<html>');
    return run;
  }
  const planChanged = (run: ActionRun) => run.stdout.includes('Plan changed since it was reviewed');

  it('a 502 HTML page is retried: the plan goes through', async () => {
    const base = mainWith({ [FILE]: yaml(PEOPLE.jane.email) });
    openPullRequest(7, commit([base], { [FILE]: yaml(PEOPLE.jane.email, PEOPLE.sam.email) }));
    github.inject('pulls/get', { kind: 'bad-gateway' });
    const run = timed('502 once', await planWith(7));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('GitHub answered HTTP 502 to GET /repos/acme/people/pulls/7.');
    expect(commentOf(7)).toHaveLength(1);
  });

  it('502s that last fail the run before any deactivation, naming the call and the status', async () => {
    const { base, merged } = await reviewedAndMerged();
    github.inject('pulls/get', { kind: 'bad-gateway' }, Infinity);
    const run = timed('502 always', await pushWith(base, merged));
    expectRefused(
      run,
      'The run stopped before any change: GitHub API getPullRequest (GET /repos/acme/people/pulls/7) failed with HTTP 502, 3 times.',
    );
    expect(run.summary).toContain('Smartsheet offboarding not applied');
  });

  it('a secondary rate limit (403, retry-after) and a primary one (remaining 0) are waited out', async () => {
    const base = mainWith({ [FILE]: yaml(PEOPLE.jane.email) });
    openPullRequest(7, commit([base], { [FILE]: yaml(PEOPLE.jane.email, PEOPLE.sam.email) }));
    github.inject('issues/create-comment', { kind: 'secondary-rate-limit', retryAfterSeconds: 1 });
    github.inject('pulls/list-files', { kind: 'primary-rate-limit', resetInSeconds: 1 });
    const run = timed('rate limits', await planWith(7));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /GitHub's secondary rate limit on POST \/repos\/acme\/people\/issues\/7\/comments: retrying in 1 s\./,
    );
    expect(run.stdout).toMatch(
      /GitHub's rate limit on GET \/repos\/acme\/people\/pulls\/7\/files: retrying in \d s\./,
    );
    expect(commentOf(7)).toHaveLength(1);
  });

  it('a hang before any deactivation ends the run in time, refused, with nothing changed', async () => {
    const { base, merged } = await reviewedAndMerged();
    github.inject('pulls/get', { kind: 'hang' }, Infinity);
    const run = timed('hang before', await pushWith(base, merged));
    expectRefused(
      run,
      'GitHub API getPullRequest (GET /repos/acme/people/pulls/7) got no answer within 1 s, 3 times.',
    );
  });

  it('a hang after the deactivations: every report written, the run fails; a re-run repairs the comment', async () => {
    const { base, merged } = await reviewedAndMerged();
    const planComment = commentOf(7)[0]!.body;
    github.inject('issues/update-comment', { kind: 'hang' }, Infinity);
    const run = timed('hang after', await pushWith(base, merged));
    expect(run.code).toBe(1);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.sam.id]);
    expect(failures(run)).toEqual([
      expect.stringMatching(
        /^::error::Could not comment on pull request #7: GitHub API updateComment \(PATCH \/repos\/acme\/people\/issues\/comments\/\d+\) got no answer within 1 s, 3 times\. .* The deactivations are done: the job summary, the outputs and the report file list them\. Re-run the job to bring the comment up to date; nobody is deactivated twice\.$/,
      ),
    ]);
    expect(JSON.parse(run.outputs.deactivated!)).toEqual([PEOPLE.sam.id]);
    expect(JSON.parse(await readFile(run.outputs['report-path']!, 'utf8')).mode).toBe('apply');
    expect(run.summary).toContain('Smartsheet offboarding applied');
    expect(commentOf(7).map((comment) => comment.body)).toEqual([planComment]);
    expect(planChanged(run)).toBe(false);

    github.clearFaults();
    simulator.clearJournal();
    const rerun = timed('re-run', await pushWith(base, merged));
    expect(rerun.code).toBe(0);
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(JSON.parse(rerun.outputs['already-deactivated']!)).toEqual([PEOPLE.sam.id]);
    expect(planChanged(rerun)).toBe(false);
    expect(commentOf(7)).toHaveLength(1);
    expect(commentOf(7)[0]!.body).toContain('Smartsheet offboarding applied');
  });

  it('SIGTERM while GitHub hangs after the deactivations: the run reports and ends at once', async () => {
    const { base, merged } = await reviewedAndMerged();
    github.inject('issues/update-comment', { kind: 'hang' }, Infinity);
    let signalledAt = 0;
    const run = timed(
      'SIGTERM',
      await pushWith(base, merged, {
        ...FAST_GITHUB,
        // The default time limit: without the signal this run would wait a minute for GitHub.
        env: {},
        onSpawn: (child) => {
          const poll = setInterval(() => {
            if (github.requestsFor('issues/update-comment').length === 0) return;
            clearInterval(poll);
            signalledAt = performance.now();
            child.kill('SIGTERM');
          }, 20);
          child.on('close', () => clearInterval(poll));
        },
      }),
    );
    const afterSignal = performance.now() - signalledAt;
    console.info(`SIGTERM: ended ${Math.round(afterSignal)} ms after the signal`);
    expect(signalledAt).toBeGreaterThan(0);
    expect(afterSignal).toBeLessThan(3_000);
    expect(run.code).toBe(1);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.sam.id]);
    expect(JSON.parse(run.outputs.deactivated!)).toEqual([PEOPLE.sam.id]);
    expect(run.summary).toContain('Smartsheet offboarding applied');
    expect(failures(run).join('\n')).toContain(
      'GitHub API updateComment was cancelled with the workflow run.',
    );
  });
});

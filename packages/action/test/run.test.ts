import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeReviewedPlan } from '@smartsheet-offboard/core';
import { type JournalEntry, startSimulator } from '@smartsheet-offboard/simulator';
import { CALLER } from '@smartsheet-offboard/testkit/orgs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionEnvironment } from '../src/event.js';
import type { PullRequestInfo, Review } from '../src/github.js';
import type { ActionInputs } from '../src/inputs.js';
import { MAX_OUTPUT_BYTES } from '../src/publish.js';
import { COMMENT_MARKER, readMarkers } from '../src/reviewed-plan.js';
import { run } from '../src/run.js';
import { FakeGitHub } from './fake-github.js';
import { CLEAN, FILE, MIXED, SAFE_OUTPUTS, testEnvironment, testInputs } from './support/fixtures.js';
import { orgSeed, PEOPLE, SMARTSHEET_TOKEN } from './support/org.js';
import { RecordingReporter } from './support/reporter.js';

const simulator = await startSimulator({ seed: orgSeed(), requestsPerMinute: Infinity });
afterAll(() => simulator.stop());
beforeEach(() => simulator.reset());

const HEAD = 'a'.repeat(40);
const MERGE = 'm'.repeat(40);
const BEFORE = 'f'.repeat(40);
function inputs(overrides: Partial<ActionInputs> = {}): ActionInputs {
  // The unit tests here check one rule at a time; the reviewed-plan binding has its own tests below.
  return testInputs(simulator.url, { requireReviewedPlan: false, ...overrides });
}

async function environment(
  eventName: string,
  payload: ActionEnvironment['payload'],
  overrides: Partial<ActionEnvironment> = {},
): Promise<ActionEnvironment> {
  const dir = await mkdtemp(join(tmpdir(), 'offboard-run-'));
  return testEnvironment(eventName, payload, {
    runId: '4242',
    workspace: dir,
    runnerTemp: dir,
    ...overrides,
  });
}

/** One run on an event, with the fake GitHub when one is given; what it returned and what it reported. */
async function runEvent(
  eventName: string,
  payload: ActionEnvironment['payload'],
  github?: FakeGitHub,
  overrides: Partial<ActionInputs> = {},
) {
  const reporter = new RecordingReporter();
  const result = await run(inputs(overrides), {
    environment: await environment(eventName, payload),
    github,
    reporter,
  });
  return { result, reporter };
}

const openPr: PullRequestInfo = {
  number: 7,
  author: 'alice',
  state: 'open',
  headSha: HEAD,
  baseRef: 'main',
  merged: false,
};
const mergedPr: PullRequestInfo = { ...openPr, state: 'closed', merged: true, mergeCommitSha: MERGE };
const approval: Review = { reviewer: 'bob', state: 'APPROVED', commitId: HEAD };

function github(content = MIXED, options: { reviews?: Review[]; pr?: PullRequestInfo } = {}): FakeGitHub {
  const fake = new FakeGitHub();
  const pr = options.pr ?? openPr;
  fake.pulls.set(7, pr);
  fake.pullFiles.set(7, [
    { path: FILE, status: 'added' },
    { path: 'README.md', status: 'modified' },
  ]);
  fake.reviews.set(7, options.reviews ?? []);
  fake.contents.set(`${HEAD}:${FILE}`, content);
  fake.contents.set(`${MERGE}:${FILE}`, content);
  // main before the merge had no offboarding file; the pull request's commit adds it, its merge lands it.
  fake.comparisons.set(`${BEFORE}...${MERGE}`, {
    status: 'ahead',
    mergeBase: BEFORE,
    commits: [HEAD, MERGE],
  });
  fake.comparisons.set(`${BEFORE}...${HEAD}`, { status: 'ahead', mergeBase: BEFORE, commits: [HEAD] });
  fake.comparisons.set(`main...${HEAD}`, { status: 'ahead', mergeBase: BEFORE, commits: [HEAD] });
  const changed = [{ path: FILE, status: 'added' }];
  fake.commits.set(HEAD, { sha: HEAD, parents: [BEFORE], files: changed });
  fake.commits.set(MERGE, { sha: MERGE, parents: [BEFORE, HEAD], files: changed });
  fake.commitPulls.set(HEAD, [pr]);
  fake.commitPulls.set(MERGE, [pr]);
  for (const login of ['alice', 'bob', 'carol']) fake.permissions.set(login, 'write');
  return fake;
}

const deactivations = (journal: JournalEntry[]) =>
  journal.filter((entry) => entry.endpoint === 'deactivateUser').map((entry) => entry.userId);

const pullRequestEvent = { pull_request: { number: 7 }, repository: { default_branch: 'main' } };
const pushEvent = {
  ref: 'refs/heads/main',
  before: BEFORE,
  after: MERGE,
  repository: { default_branch: 'main' },
};

describe('run on pull_request (plan)', () => {
  it('plans the changed offboarding file, comments, annotates and fails on the blocked user', async () => {
    const fake = github();
    const { result, reporter } = await runEvent('pull_request', pullRequestEvent, fake);

    expect(deactivations(simulator.journal())).toEqual([]);
    expect(fake.calls).toContain(`readFile ${FILE}@${HEAD}`);
    expect(fake.calls.some((call) => call.startsWith('readFile README.md'))).toBe(false);
    expect(result.failure).toBe(
      'Some users would not end deactivated (1 blocked); see the annotations and the job summary.',
    );
    expect(result.report?.results.map((r) => [r.given, r.outcome])).toEqual([
      ['jane.doe@example.com', 'would-deactivate'],
      [PEOPLE.big.id, 'would-deactivate'],
      ['joe@gmail.com', 'blocked'],
      ['gone@example.com', 'already-deactivated'],
    ]);

    // Blocked by its domain before any lookup: no ID is known, so the output names the email as given.
    expect(JSON.parse(reporter.outputs.get('blocked')!)).toEqual([PEOPLE.isp.email]);
    expect(JSON.parse(reporter.outputs.get('already-deactivated')!)).toEqual([PEOPLE.gone.id]);
    expect(reporter.outputs.get('deactivated')).toBe('[]');
    expect(reporter.outputs.get('plan-digest')).toMatch(/^sha256:[0-9a-f]{64}$/);
    const reportPath = reporter.outputs.get('report-path')!;
    expect(await readFile(reportPath, 'utf8')).toBe(`${reporter.outputs.get('report')}\n`);
    expect(JSON.parse(reporter.outputs.get('report')!).planDigest).toBe(reporter.outputs.get('plan-digest'));

    expect(reporter.annotations).toEqual([
      {
        level: 'error',
        message: expect.stringContaining('joe@gmail.com'),
        properties: { title: 'Email on a common ISP domain', file: FILE, startLine: 6 },
      },
    ]);

    expect(fake.comments).toHaveLength(1);
    const comment = fake.comments[0]!.body;
    expect(comment.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comment).toContain('Smartsheet offboarding plan');
    expect(comment).toContain(`Plan digest: \`${reporter.outputs.get('plan-digest')}\``);
    expect(comment).toContain('Safety cap: at most 25 deactivations per run (this run: 2).');
    expect(comment).toContain(`#### ${FILE}`);
    expect(comment).toContain('`isp-domain`');
    expect(comment).toContain(`https://github.com/acme/people/blob/${HEAD}/${FILE}#L6`);
    expect(comment).toContain('Left the company @\u200beveryone');
    expect(reporter.summary).toContain('| would-deactivate | already-deactivated | blocked | not-found |');
    expect(reporter.everything(fake.comments)).not.toContain(SMARTSHEET_TOKEN);
  });

  it('logs each retry, so a slow run says why (an HTML 502 from a proxy)', async () => {
    simulator.failNext({ fault: 'gateway-502', endpoint: 'getCurrentUser' });
    const { result, reporter } = await runEvent('pull_request', pullRequestEvent, github());
    expect(result.report?.results).toHaveLength(4);
    expect(reporter.logs).toContainEqual(
      expect.stringMatching(
        /^Retrying GET \/users\/me in \d\.\d s \(try 2; up to 120 s in all\): Smartsheet answered HTTP 502 with a text\/html body/,
      ),
    );
  });

  it('validates offline without a Smartsheet token, says so and does not fail', async () => {
    const fake = github(CLEAN);
    const { result, reporter } = await runEvent('pull_request', pullRequestEvent, fake, {
      smartsheetToken: undefined,
    });
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toBeUndefined();
    expect(fake.comments[0]!.body).toContain('files validated offline');
    expect(reporter.summary).toContain('No Smartsheet token was given');
    expect(reporter.summary).toContain('3 entries checked: no problems found.');
  });

  it('annotates problems in the file at their line and asks Smartsheet nothing', async () => {
    const fake = github('users:\n  - jane.doe@example.com\n  - not-an-email@\n');
    const { result, reporter } = await runEvent('pull_request', pullRequestEvent, fake);
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toMatch(/^1 problem in the offboarding files or inputs; nothing was requested/);
    expect(reporter.annotations).toEqual([
      {
        level: 'error',
        message: expect.any(String),
        properties: { title: 'Invalid offboarding file', file: FILE, startLine: 3 },
      },
    ]);
    expect(fake.comments[0]!.body).toContain('Problems in the offboarding files');
  });

  it('does nothing, and says so, when the pull request changes no offboarding file', async () => {
    const fake = github();
    fake.pullFiles.set(7, [{ path: 'README.md', status: 'modified' }]);
    const { result, reporter } = await runEvent('pull_request', pullRequestEvent, fake);
    expect(result).toEqual({});
    expect(fake.comments).toEqual([]);
    expect(simulator.journal()).toEqual([]);
    expect(reporter.annotations).toEqual([
      { level: 'notice', message: 'The pull request adds or changes no offboarding file: nothing to do.' },
    ]);
    expect(reporter.outputs.get('report')).toBe('');
  });

  it('warns but does not fail when the comment cannot be posted (a read-only token from a fork)', async () => {
    const fake = Object.assign(github(CLEAN), {
      createComment: async () => {
        throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
      },
    });
    const { result, reporter } = await runEvent('pull_request', pullRequestEvent, fake);
    expect(result.failure).toBeUndefined();
    expect(reporter.annotations.map((a) => a.level)).toEqual(['warning']);
    expect(reporter.annotations[0]!.message).toContain('Could not comment on pull request #7');
    expect(reporter.summary).toContain('Smartsheet offboarding plan');
  });
  it('refuses when GitHub lists fewer files than the pull request changes (over 3000)', async () => {
    const fake = github(CLEAN, { pr: { ...openPr, changedFiles: 3001 } });
    fake.pullFiles.set(
      7,
      Array.from({ length: 3000 }, (_, i) => ({ path: `vendor/${i}.js`, status: 'added' })),
    );
    const { result } = await runEvent('pull_request', pullRequestEvent, fake);
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toBe(
      'Pull request #7 changes 3001 files but GitHub lists only 3000, so offboarding files among the others ' +
        'could not be read. Nothing was changed: move the offboarding files to a pull request of their own.',
    );
    expect(fake.comments[0]!.body).toContain('**Refused:** Pull request #7 changes 3001 files');
  });

  it('warns about a changed file that matches manifest-paths only when case is ignored', async () => {
    const fake = github(CLEAN);
    fake.pullFiles.set(7, [
      { path: FILE, status: 'added' },
      { path: 'offboarding/more.YAML', status: 'added' },
    ]);
    const { reporter } = await runEvent('pull_request', pullRequestEvent, fake);
    expect(fake.calls).not.toContain(`readFile offboarding/more.YAML@${HEAD}`);
    expect(reporter.annotations).toEqual([
      {
        level: 'warning',
        message: expect.stringContaining('Not read: offboarding/more.YAML (matches manifest-paths'),
        properties: { title: 'Offboarding file not read', file: 'offboarding/more.YAML' },
      },
    ]);
    expect(fake.comments[0]!.body).toContain('Not read: offboarding/more.YAML');
  });

  it('posts no comment when comment-on-pr is false', async () => {
    const fake = github(CLEAN);
    const { result, reporter } = await runEvent('pull_request', pullRequestEvent, fake, {
      commentOnPr: false,
    });
    expect(result.failure).toBeUndefined();
    expect(fake.comments).toEqual([]);
    expect(reporter.summary).toContain('Smartsheet offboarding plan');
  });
});

describe('run on push (apply after merge)', () => {
  it('applies the merged pull request approved on its final commit and updates its comment', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    fake.comments.push({
      id: 5,
      issueNumber: 7,
      body: `${COMMENT_MARKER}\nthe plan`,
      author: 'github-actions[bot]',
    });
    const { result, reporter } = await runEvent('push', pushEvent, fake);

    expect(result.failure).toBeUndefined();
    expect(deactivations(simulator.journal()).sort()).toEqual([PEOPLE.big.id, PEOPLE.jane.id].sort());
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('DEACTIVATED');
    expect(fake.calls).toContain(`readFile ${FILE}@${HEAD}`);
    expect(JSON.parse(reporter.outputs.get('deactivated')!).sort()).toEqual(
      [PEOPLE.big.id, PEOPLE.jane.id].sort(),
    );
    expect(JSON.parse(reporter.outputs.get('already-deactivated')!)).toEqual([PEOPLE.gone.id]);

    expect(fake.comments).toHaveLength(1);
    const comment = fake.comments[0]!.body;
    expect(comment).toContain('Smartsheet offboarding applied');
    expect(comment).toContain('Approved by bob.');
    expect(comment).toContain('`deactivated`');

    for (const entry of simulator.journal()) {
      expect(entry.headers['smartsheet-change-agent']).toBe(
        'smartsheet-offboard-action acme/people pr#7 run 4242/1',
      );
      expect(entry.headers['smartsheet-integration-source']).toBe('SCRIPT,acme,smartsheet-offboard');
    }
    expect(reporter.everything(fake.comments)).not.toContain(SMARTSHEET_TOKEN);
  });

  it.each([
    ['no approval', []],
    ['only the author approved', [{ ...approval, reviewer: 'alice' }]],
    ['the approval is of an earlier commit', [{ ...approval, commitId: 'e'.repeat(40) }]],
    ['the approver has no write access', [{ ...approval, reviewer: 'rita' }]],
  ])('refuses and changes nothing when %s', async (_, reviews) => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: reviews as Review[] });
    const { result, reporter } = await runEvent('push', pushEvent, fake);
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toMatch(
      /^Pull request #7 has 0 of the 1 required approvals .* nothing was changed\.$/,
    );
    expect(fake.comments[0]!.body).toContain('### ❌ Smartsheet offboarding not applied');
    expect(fake.comments[0]!.body).toContain(
      '**Refused:** Pull request #7 has 0 of the 1 required approvals',
    );
    expect(reporter.outputs.get('deactivated')).toBe('[]');
  });

  it('refuses a merge commit that adds lines the approved head did not, deactivating nobody', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    // A merge commit made by hand (or carrying base-branch changes) lists one more person nobody approved.
    fake.contents.set(`${MERGE}:${FILE}`, `${CLEAN}  - ${PEOPLE.sam.email}\n`);
    const { result } = await runEvent('push', pushEvent, fake);
    expect(result.failure).toContain('update the branch and approve again');
    expect(simulator.journal()).toEqual([]);
  });

  it('links each line at the approved head commit', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const { result, reporter } = await runEvent('push', pushEvent, fake);
    expect(result.failure).toBeUndefined();
    expect(reporter.summary).toContain(`https://github.com/acme/people/blob/${HEAD}/${FILE}#L2`);
  });

  it('refuses a push of the merge commit of a pull request merged into another branch', async () => {
    const fake = github(CLEAN, { pr: { ...mergedPr, baseRef: 'release' }, reviews: [approval] });
    const { result } = await runEvent('push', pushEvent, fake);
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toContain(
      'belongs to no pull request merged into main by this push, so nobody approved it',
    );
  });

  it('refuses to apply when the push event does not name the default branch', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const { result } = await runEvent('push', { ref: 'refs/heads/main', before: BEFORE, after: MERGE }, fake);
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toBe(
      "The push event does not name the repository's default branch, so apply cannot tell whether " +
        'refs/heads/main is it. Nothing was changed.',
    );
  });

  it('refuses and changes nothing when a writer’s request for changes stands', async () => {
    const fake = github(CLEAN, {
      pr: mergedPr,
      reviews: [approval, { ...approval, reviewer: 'carol', state: 'CHANGES_REQUESTED' }],
    });
    const { result } = await runEvent('push', pushEvent, fake);
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toMatch(
      /^Pull request #7 has a standing request for changes from carol; nothing was changed\./,
    );
  });

  it('does not count an approval by a bot, even one with write access', async () => {
    const botApproval: Review = { ...approval, reviewer: 'github-actions[bot]', reviewerIsBot: true };
    const fake = github(CLEAN, { pr: mergedPr, reviews: [botApproval] });
    fake.permissions.set('github-actions[bot]', 'write');
    const { result } = await runEvent('push', pushEvent, fake);
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toMatch(/^Pull request #7 has 0 of the 1 required approvals/);
  });

  it('refuses the whole plan over max-deactivations, deactivating nobody', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const { result, reporter } = await runEvent('push', pushEvent, fake, { maxDeactivations: 1 });
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(result.failure).toBe(
      'Some users did not end deactivated (2 blocked); see the annotations and the job summary.',
    );
    expect(reporter.summary).toContain('The plan exceeds max-deactivations (1): nothing was deactivated.');
    expect(reporter.annotations.map((a) => [a.properties?.title, a.properties?.startLine])).toEqual([
      ['Over the deactivation limit', 2],
      ['Over the deactivation limit', 4],
    ]);
  });

  it('refuses a push that changes offboarding files without a merged pull request', async () => {
    const fake = github(CLEAN);
    fake.commitPulls.clear();
    const { result } = await runEvent('push', pushEvent, fake);
    expect(simulator.journal()).toEqual([]);
    expect(result.failure).toBe(
      `Commit aaaaaaa changes ${FILE} but belongs to no pull request merged into main by this push, so nobody ` +
        'approved it. Nothing was changed: open a pull request with the change.',
    );
  });

  describe('markdown in a refusal', () => {
    const crafted = '[x](https://evil.example)<img src=x>@everyone';
    const inert = (markdown: string) => {
      for (const raw of ['[x]', '](https://evil', '<img', '@everyone']) expect(markdown).not.toContain(raw);
      expect(markdown).toContain('&#91;x&#93;(https:\u200b//evil.example)&#60;img src=x&#62;@\u200beveryone');
    };

    it('escapes a file path and a branch name from the push', async () => {
      const fake = github(CLEAN);
      fake.commitPulls.clear();
      const path = `offboarding/${crafted}.yaml`;
      fake.commits.set(HEAD, { sha: HEAD, parents: [BEFORE], files: [{ path, status: 'added' }] });
      const payload = {
        ref: `refs/heads/${crafted}`,
        before: BEFORE,
        after: MERGE,
        repository: { default_branch: crafted },
      };
      const { result, reporter } = await runEvent('push', payload, fake);
      expect(simulator.journal()).toEqual([]);
      expect(result.failure).toBe(
        `Commit aaaaaaa changes ${path} but belongs to no pull request merged into ${crafted} by this push, so ` +
          'nobody approved it. Nothing was changed: open a pull request with the change.',
      );
      expect(reporter.summary).toContain('**Refused:** Commit aaaaaaa changes offboarding/');
      inert(reporter.summary);
    });

    it('still names the pull request, as a live reference, on a crafted branch', async () => {
      const fake = github(CLEAN, { pr: { ...mergedPr, baseRef: crafted } });
      const payload = { ...pushEvent, ref: `refs/heads/${crafted}`, repository: { default_branch: crafted } };
      const { result, reporter } = await runEvent('push', payload, fake);
      expect(simulator.journal()).toEqual([]);
      expect(result.failure).toMatch(/^Pull request #7 has 0 of the 1 required approvals/);
      for (const markdown of [reporter.summary, fake.comments[0]!.body]) {
        expect(markdown).toContain('**Refused:** Pull request #7 has 0 of the 1 required approvals');
      }
    });
  });

  it('does nothing for a direct push that changes no offboarding file', async () => {
    const fake = github(CLEAN);
    fake.commitPulls.clear();
    for (const sha of [HEAD, MERGE]) {
      fake.commits.set(sha, { sha, parents: [BEFORE], files: [{ path: 'docs/x.md', status: 'added' }] });
    }
    const { result } = await runEvent('push', pushEvent, fake);
    expect(result).toEqual({});
    expect(simulator.journal()).toEqual([]);
  });

  it('refuses to apply a push to another branch than the default one', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const { result } = await runEvent('push', { ...pushEvent, ref: 'refs/heads/feature' }, fake);
    expect(result.failure).toContain(
      'runs only for the default branch main; this push is to refs/heads/feature',
    );
    expect(simulator.journal()).toEqual([]);
  });

  it('refuses to apply without a Smartsheet token, before any request', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const { result } = await runEvent('push', pushEvent, fake, { smartsheetToken: undefined });
    expect(result.failure).toBe(
      "Input 'smartsheet-token' is empty: a Smartsheet token is needed to apply. Nothing was changed.",
    );
    expect(simulator.journal()).toEqual([]);
  });

  it('reports a Smartsheet refusal of the token without showing it', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const { result, reporter } = await runEvent('push', pushEvent, fake, {
      smartsheetToken: 'unknown-token-9f8e7d6c',
    });
    expect(result.failure).toMatch(/^The run stopped: /);
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(fake.comments[0]!.body).toContain('The run stopped');
    expect(reporter.everything(fake.comments)).not.toContain('unknown-token-9f8e7d6c');
  });
});

describe('run on pull_request_review', () => {
  const reviewEvent = (state: string) => ({ ...pullRequestEvent, review: { state } });

  it('applies on an approval standing on the head commit', async () => {
    const fake = github(CLEAN, { reviews: [approval] });
    const { result } = await runEvent('pull_request_review', reviewEvent('approved'), fake);
    expect(result.failure).toBeUndefined();
    expect(deactivations(simulator.journal()).sort()).toEqual([PEOPLE.big.id, PEOPLE.jane.id].sort());
    expect(fake.calls).toContain(`readFile ${FILE}@${HEAD}`);
  });

  it('needs as many approvals as required-approvals', async () => {
    const fake = github(CLEAN, { reviews: [approval] });
    const { result } = await runEvent('pull_request_review', reviewEvent('approved'), fake, {
      requiredApprovals: 2,
    });
    expect(result.failure).toMatch(/^Pull request #7 has 1 of the 2 required approvals/);
    expect(simulator.journal()).toEqual([]);
  });

  it('does nothing for a review that is not an approval', async () => {
    const fake = github(CLEAN, { reviews: [approval] });
    const { result } = await runEvent('pull_request_review', reviewEvent('commented'), fake);
    expect(result).toEqual({});
    expect(fake.calls).toEqual([]);
    expect(simulator.journal()).toEqual([]);
  });
});

describe('run on workflow_dispatch', () => {
  it('plans the given user-ids and emails in plan mode, changing nothing', async () => {
    const { result, reporter } = await runEvent('workflow_dispatch', {}, undefined, {
      mode: 'plan',
      userIds: [PEOPLE.sam.id],
      emails: ['nobody@example.com'],
    });
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(result.failure).toBe(
      'Some users would not end deactivated (1 not-found); see the annotations and the job summary.',
    );
    expect(JSON.parse(reporter.outputs.get('not-found')!)).toEqual(['nobody@example.com']);
    expect(reporter.annotations).toEqual([
      {
        level: 'error',
        message: expect.stringContaining('nobody@example.com'),
        properties: { title: 'Not found' },
      },
    ]);
    expect(reporter.summary).toContain('#### Given as inputs');
  });

  it('applies the files matching manifest-paths in the workspace', async () => {
    const env = await environment('workflow_dispatch', {});
    await mkdir(join(env.workspace, 'offboarding'));
    await writeFile(join(env.workspace, 'offboarding', 'a.txt'), `${PEOPLE.sam.email}\n`);
    await writeFile(join(env.workspace, 'offboarding', 'b.md'), `${PEOPLE.jane.email}\n`);
    const reporter = new RecordingReporter();
    const result = await run(inputs({ manifestPaths: ['offboarding/*.txt'] }), {
      environment: env,
      reporter,
    });
    expect(result.failure).toBeUndefined();
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.sam.id]);
    expect(
      simulator.journal().every((entry) => !entry.headers['smartsheet-change-agent']?.includes('pr#')),
    ).toBe(true);
  });

  it('starts no deactivation once the workflow is cancelled, and reports the targets as failed', async () => {
    const reporter = new RecordingReporter();
    const result = await run(inputs({ userIds: [PEOPLE.sam.id] }), {
      environment: await environment('workflow_dispatch', {}),
      reporter,
      signal: AbortSignal.abort(),
    });
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(result.report?.results.map((r) => [r.outcome, r.reason])).toEqual([['failed', 'interrupted']]);
    expect(JSON.parse(reporter.outputs.get('failed')!)).toEqual([PEOPLE.sam.id]);
    expect(result.failure).toBe(
      'Some users did not end deactivated (1 failed); see the annotations and the job summary.',
    );
  });

  it('refuses when nothing names anyone', async () => {
    const { result } = await runEvent('workflow_dispatch', {});
    expect(result.failure).toBe(
      'Give user-ids, emails or manifest-paths: workflow_dispatch has no other way to know whom to offboard.',
    );
  });

  it('sends the integration-source input as given', async () => {
    await runEvent('workflow_dispatch', {}, undefined, {
      mode: 'plan',
      userIds: [CALLER.id],
      integrationSource: 'SCRIPT,Acme Corp,offboarding',
    });
    expect(simulator.journal().length).toBeGreaterThan(0);
    for (const entry of simulator.journal()) {
      expect(entry.headers['smartsheet-integration-source']).toBe('SCRIPT,Acme Corp,offboarding');
    }
  });
});

describe('run with a large organisation', () => {
  it('leaves the report output empty, with a warning, when the report is over the output limit', async () => {
    const count = 4000;
    const big = await startSimulator({
      seed: {
        planDomains: ['example.com'],
        tokens: { [SMARTSHEET_TOKEN]: CALLER.id },
        users: [{ ...CALLER, admin: true }],
        generated: { count, idStart: '3000000000000000' },
      },
      requestsPerMinute: Infinity,
    });
    try {
      const userIds = Array.from({ length: count }, (_, i) => String(3000000000000000n + BigInt(i)));
      const reporter = new RecordingReporter();
      const result = await run(inputs({ mode: 'plan', apiBaseUrl: big.url, userIds }), {
        environment: await environment('workflow_dispatch', {}),
        reporter,
      });
      expect(result.report?.results).toHaveLength(count);
      const file = await readFile(reporter.outputs.get('report-path')!, 'utf8');
      expect(Buffer.byteLength(file)).toBeGreaterThan(MAX_OUTPUT_BYTES);
      expect(reporter.outputs.get('report')).toBe('');
      expect(reporter.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
        expect.stringContaining("The JSON report is over GitHub's 1 MB limit for an output"),
      ]);
      expect(Buffer.byteLength(reporter.summary)).toBeLessThanOrEqual(1_000_000);
    } finally {
      await big.stop();
    }
  });
});

describe('run on other events', () => {
  it('names the supported events after setting safe outputs', async () => {
    const reporter = new RecordingReporter();
    await expect(
      run(inputs(), { environment: await environment('issue_comment', {}), reporter }),
    ).rejects.toThrow(
      'run it on pull_request_target, pull_request, push, pull_request_review, workflow_dispatch',
    );
    expect(Object.fromEntries(reporter.outputs)).toEqual(SAFE_OUTPUTS);
  });
});

describe('run on apply after a reviewed plan', () => {
  const DIGEST = /sha256:[0-9a-f]{64}/g;

  /** The plan run on the pull request, as reviewers saw it: its comment carries the plan digest. */
  async function reviewedPlan(fake: FakeGitHub): Promise<string> {
    const { reporter } = await runEvent('pull_request', pullRequestEvent, fake);
    const digest = reporter.outputs.get('plan-digest')!;
    expect(fake.comments.map((comment) => comment.body.includes(`Plan digest: \`${digest}\``))).toEqual([
      true,
    ]);
    return digest;
  }

  const applyOnPush = (fake: FakeGitHub) => runEvent('push', pushEvent, fake, { requireReviewedPlan: true });

  /** The plan digest the authenticated record in a comment carries (none when there is no valid record). */
  const recordedDigest = (body: string) => {
    const encoded = readMarkers(body.slice(COMMENT_MARKER.length + 1)).record ?? '';
    const decoded = decodeReviewedPlan(encoded, SMARTSHEET_TOKEN, {
      scope: 'acme/people',
      change: 7,
      commit: HEAD,
    });
    return 'record' in decoded ? decoded.record.planDigest : undefined;
  };

  const drift = (reporter: RecordingReporter) =>
    reporter.annotations.filter((a) => a.message.startsWith('The plan changed since it was reviewed'));

  it('says nothing when the plan applied is the plan reviewed', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const reviewed = await reviewedPlan(fake);
    const { reporter, result } = await applyOnPush(fake);

    expect(result.failure).toBeUndefined();
    expect(reporter.outputs.get('plan-digest')).toBe(reviewed);
    expect(deactivations(simulator.journal()).sort()).toEqual([PEOPLE.big.id, PEOPLE.jane.id].sort());
    expect(drift(reporter)).toEqual([]);
    expect(reporter.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]!.body).toContain('Smartsheet offboarding applied');
    expect(fake.comments[0]!.body).not.toContain('changed since it was reviewed');
  });

  it('records in the authenticated record which users the apply deactivated, and a plan run again keeps it', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    await reviewedPlan(fake);
    const recorded = (body: string) => {
      const encoded = readMarkers(body.slice(COMMENT_MARKER.length + 1)).record ?? '';
      const decoded = decodeReviewedPlan(encoded, SMARTSHEET_TOKEN, {
        scope: 'acme/people',
        change: 7,
        commit: HEAD,
      });
      return 'record' in decoded ? decoded.record : undefined;
    };
    expect(recorded(fake.comments[0]!.body)?.applied).toBeUndefined();
    const { result } = await applyOnPush(fake);
    expect(result.failure).toBeUndefined();
    // Jane and the big ID were deactivated, gone was already: all three are as the record bound them.
    expect(recorded(fake.comments[0]!.body)?.applied).toEqual(
      [PEOPLE.big.id, PEOPLE.gone.id, PEOPLE.jane.id].sort(),
    );
    await runEvent('pull_request', pullRequestEvent, fake);
    expect(recorded(fake.comments[0]!.body)?.applied).toEqual(
      [PEOPLE.big.id, PEOPLE.gone.id, PEOPLE.jane.id].sort(),
    );
  });

  it('warns once, naming both digests, when Smartsheet changed in between, and applies the rest', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const reviewed = await reviewedPlan(fake);
    // Someone deactivates Jane by hand between the review and the merge.
    const byHand = await fetch(`${simulator.url}/users/${PEOPLE.jane.id}/deactivate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SMARTSHEET_TOKEN}` },
    });
    expect(byHand.status).toBe(200);
    simulator.clearJournal();

    const { reporter, result } = await applyOnPush(fake);
    const applied = reporter.outputs.get('plan-digest')!;
    expect(applied).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(applied).not.toBe(reviewed);

    expect(result.failure).toBeUndefined();
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.big.id]);
    expect(JSON.parse(reporter.outputs.get('already-deactivated')!).sort()).toEqual(
      [PEOPLE.gone.id, PEOPLE.jane.id].sort(),
    );
    const warnings = drift(reporter);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe('warning');
    expect(warnings[0]!.message.match(DIGEST)).toEqual([reviewed, applied]);
    for (const markdown of [reporter.summary, fake.comments[0]!.body]) {
      expect(markdown).toContain('The plan changed since it was reviewed');
      // The record carries the reviewed digest forward; the text names both, the cap line the applied one.
      expect(recordedDigest(`${COMMENT_MARKER}\n${markdown}`)).toBe(reviewed);
      expect(markdown.match(DIGEST)).toEqual([reviewed, applied, applied]);
    }
    expect(fake.comments).toHaveLength(1);
  });

  /** Someone deactivates Jane by hand between the review and the merge. */
  async function deactivateJaneByHand() {
    const byHand = await fetch(`${simulator.url}/users/${PEOPLE.jane.id}/deactivate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SMARTSHEET_TOKEN}` },
    });
    expect(byHand.status).toBe(200);
    simulator.clearJournal();
  }

  const reviewedMarker = (digest: string) => `<!-- smartsheet-offboard:reviewed-plan ${digest} -->`;

  it('says nothing on a second apply that finds only the first apply of the reviewed plan done', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const reviewed = await reviewedPlan(fake);
    const first = await applyOnPush(fake);
    expect(first.result.failure).toBeUndefined();
    expect(first.reporter.outputs.get('plan-digest')).toBe(reviewed);
    expect(drift(first.reporter)).toEqual([]);
    expect(recordedDigest(fake.comments[0]!.body)).toBe(reviewed);
    simulator.clearJournal();

    // A re-run (or the other apply workflow): its plan differs from the reviewed one only by the first apply.
    const second = await applyOnPush(fake);
    expect(second.result.failure).toBeUndefined();
    expect(second.reporter.outputs.get('plan-digest')).not.toBe(reviewed);
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(JSON.parse(second.reporter.outputs.get('already-deactivated')!).sort()).toEqual(
      [PEOPLE.big.id, PEOPLE.gone.id, PEOPLE.jane.id].sort(),
    );
    expect(drift(second.reporter)).toEqual([]);
    expect(second.reporter.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    expect(fake.comments).toHaveLength(1);
    expect(recordedDigest(fake.comments[0]!.body)).toBe(reviewed);
    expect(fake.comments[0]!.body).not.toContain('changed since it was reviewed');

    // And a third: the settled state carries forward too.
    const third = await applyOnPush(fake);
    expect(drift(third.reporter)).toEqual([]);
    expect(recordedDigest(fake.comments[0]!.body)).toBe(reviewed);
  });

  it('warns on a second apply too, naming the reviewed digest, when Smartsheet changed before the first', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const reviewed = await reviewedPlan(fake);
    await deactivateJaneByHand();

    const first = await applyOnPush(fake);
    const applied = first.reporter.outputs.get('plan-digest')!;
    expect(applied).not.toBe(reviewed);
    expect(drift(first.reporter).map((a) => a.message.match(DIGEST))).toEqual([[reviewed, applied]]);
    expect(deactivations(simulator.journal())).toEqual([PEOPLE.big.id]);
    expect(recordedDigest(fake.comments[0]!.body)).toBe(reviewed);
    expect(fake.comments[0]!.body).not.toContain('settled-digest');
    simulator.clearJournal();

    const second = await applyOnPush(fake);
    const reapplied = second.reporter.outputs.get('plan-digest')!;
    // The first apply's comment shows this digest as the one it applied: comparing with it would see no change.
    expect(fake.comments[0]!.body).toContain(`Plan digest: \`${reapplied}\``);
    expect(second.result.failure).toBeUndefined();
    expect(deactivations(simulator.journal())).toEqual([]);
    const warnings = drift(second.reporter);
    expect(warnings.map((a) => a.level)).toEqual(['warning']);
    expect(warnings[0]!.message.match(DIGEST)).toEqual([reviewed, reapplied]);
    expect(fake.comments).toHaveLength(1);
    expect(recordedDigest(fake.comments[0]!.body)).toBe(reviewed);
    expect(fake.comments[0]!.body).toContain('The plan changed since it was reviewed');
  });

  it('fails when the comment cannot be written after deactivations, with every report written; a re-run repairs it', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const reviewed = await reviewedPlan(fake);
    const planComment = fake.comments[0]!.body;
    const updateComment = fake.updateComment.bind(fake);
    const failing =
      'GitHub API updateComment (PATCH /repos/acme/people/issues/comments/100) failed with HTTP 502, 3 times. ' +
      'Re-run the job later.';
    fake.updateComment = async () => {
      throw Object.assign(new Error(failing), { status: 502 });
    };
    const first = await applyOnPush(fake);
    expect(deactivations(simulator.journal()).sort()).toEqual([PEOPLE.big.id, PEOPLE.jane.id].sort());
    expect(first.result.failure).toBe(
      `Could not comment on pull request #7: ${failing} The deactivations are done: the job summary, the ` +
        'outputs and the report file list them. Re-run the job to bring the comment up to date; nobody is ' +
        'deactivated twice.',
    );
    expect(JSON.parse(first.reporter.outputs.get('deactivated')!).sort()).toEqual(
      [PEOPLE.big.id, PEOPLE.jane.id].sort(),
    );
    const report = JSON.parse(await readFile(first.reporter.outputs.get('report-path')!, 'utf8'));
    expect(report.mode).toBe('apply');
    expect(first.reporter.summary).toContain('Smartsheet offboarding applied');
    expect(fake.comments.map((comment) => comment.body)).toEqual([planComment]);
    simulator.clearJournal();

    // The re-run: GitHub answers again.
    fake.updateComment = updateComment;
    const second = await applyOnPush(fake);
    expect(second.result.failure).toBeUndefined();
    expect(deactivations(simulator.journal())).toEqual([]);
    expect(drift(second.reporter)).toEqual([]);
    expect(second.reporter.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]!.body).toContain('Smartsheet offboarding applied');
    expect(recordedDigest(fake.comments[0]!.body)).toBe(reviewed);
  });

  it('refuses, in the job summary too, when GitHub fails before anything was asked of Smartsheet', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const failing =
      'GitHub API getPullRequest (GET /repos/acme/people/pulls/7) got no answer within 20 s, 3 times. ' +
      "Re-run the job later; https://www.githubstatus.com shows GitHub's incidents.";
    fake.getPullRequest = async () => {
      throw new Error(failing);
    };
    const { result, reporter } = await applyOnPush(fake);
    expect(result.failure).toBe(`The run stopped before any change: ${failing}`);
    expect(simulator.journal()).toEqual([]);
    expect(Object.fromEntries(reporter.outputs)).toEqual(SAFE_OUTPUTS);
    expect(reporter.summary).toContain('Smartsheet offboarding not applied');
    expect(reporter.summary).toContain('got no answer within 20 s, 3 times');
  });

  it('keeps the reviewed digest in the comment through a refused apply', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [] });
    const reviewed = await reviewedPlan(fake);
    const refused = await applyOnPush(fake);
    expect(refused.result.failure).toContain('0 of the 1 required approvals');
    expect(fake.comments[0]!.body).toContain('Smartsheet offboarding not applied');
    expect(recordedDigest(fake.comments[0]!.body)).toBe(reviewed);

    fake.reviews.set(7, [approval]);
    await deactivateJaneByHand();
    const { reporter } = await applyOnPush(fake);
    expect(drift(reporter)[0]!.message.match(DIGEST)![0]).toBe(reviewed);
  });

  it('does not believe a reviewed-digest marker written into the offboarding file', async () => {
    const planted = `sha256:${'0'.repeat(64)}`;
    const forged = CLEAN.replace(
      '    ticket: HR-1234',
      `    ticket: HR-1234\n    reason: "x\\n${reviewedMarker(planted)}\\n"`,
    );
    const fake = github(forged, { pr: mergedPr, reviews: [approval] });
    const reviewed = await reviewedPlan(fake);
    expect(reviewed).not.toBe(planted);
    expect(fake.comments[0]!.body).not.toContain(reviewedMarker(planted));
    expect(fake.comments[0]!.body).toContain(planted.slice('sha256:'.length));
    await deactivateJaneByHand();

    const { reporter } = await applyOnPush(fake);
    expect(drift(reporter)[0]!.message.match(DIGEST)![0]).toBe(reviewed);
  });

  it('ignores a digest in a marked comment the action did not write', async () => {
    const fake = github(CLEAN, { pr: mergedPr, reviews: [approval] });
    const reviewed = await reviewedPlan(fake);
    const planted = `sha256:${'0'.repeat(64)}`;
    fake.comments.push({
      id: 6,
      issueNumber: 7,
      body: `${COMMENT_MARKER}\n<!-- smartsheet-offboard:reviewed-digest ${planted} -->\nSafety cap: at most 25 deactivations per run (this run: 2). Plan digest: \`${planted}\`.`,
      author: 'mallory',
    });
    const { reporter, result } = await applyOnPush(fake);

    expect(result.failure).toBeUndefined();
    expect(reporter.outputs.get('plan-digest')).toBe(reviewed);
    expect(drift(reporter)).toEqual([]);
    expect(reporter.summary).not.toContain(planted);
    expect(fake.comments[1]!.body).toContain(planted);
    expect(deactivations(simulator.journal()).sort()).toEqual([PEOPLE.big.id, PEOPLE.jane.id].sort());
  });
});

// Where an entry of the default branch came from, through the real Octokit adapter against the HTTP fake of
// GitHub (a repository history): the walk back to the commit that added it, across renames and moves, and
// the merged pull request, its approvals and its reviewed plan.
import { getOctokit } from '@actions/github';
import {
  type DriftPolicy,
  encodeReviewedPlan,
  entryKey,
  type PlanEntry,
  parseOffboardingFile,
  type ReviewedPlan,
} from '@smartsheet-offboard/core';
import { FakeGitHubServer } from '@smartsheet-offboard/testkit/github-server';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { octokitApi } from '../src/github.js';
import { MAX_HISTORY_COMMITS, ProvenanceTracer } from '../src/provenance.js';
import { COMMENT_MARKER, markerLines } from '../src/reviewed-plan.js';
import { historyOf, yaml } from './support/history.js';
import { PEOPLE, SMARTSHEET_TOKEN } from './support/org.js';

const github = await new FakeGitHubServer('acme', 'people').start();
afterAll(() => github.stop());
beforeEach(() => {
  github.reset();
  for (const login of ['alice', 'bob']) github.permissions.set(login, 'write');
});
afterEach(() => {
  expect(github.violations.splice(0)).toEqual([]);
});
const api = octokitApi(getOctokit('ghs_test', { baseUrl: github.url }), { owner: 'acme', repo: 'people' });
const { commit, mainWith, openPullRequest, review, merge, squash, pushToMain, mainTree } = historyOf(github);
const A = 'offboarding/a.yaml';
const B = 'offboarding/b.yaml';
const USERS: Record<string, string> = {
  [PEOPLE.sam.email]: PEOPLE.sam.id,
  [PEOPLE.jane.email]: PEOPLE.jane.id,
  [PEOPLE.big.email]: PEOPLE.big.id,
};

/**
 * Pull request `number` changes main's tree by `change`; approved by bob unless `approved` is false, and
 * planned (the action's comment with an authenticated record binding each added email to `users`).
 */
function mergedPullRequest(
  number: number,
  change: Record<string, string | undefined>,
  options: {
    approved?: boolean;
    planned?: boolean;
    users?: Record<string, string>;
    squashed?: boolean;
    base?: string;
    /** The users the record says an apply deactivated. */
    applied?: string[];
  } = {},
) {
  const tree: Record<string, string> = { ...mainTree() };
  for (const [path, content] of Object.entries(change)) {
    if (content === undefined) delete tree[path];
    else tree[path] = content;
  }
  const head = commit([github.branches.get('main')!], tree);
  openPullRequest(number, head, options.base ? { base: options.base } : {});
  if (options.approved !== false) review(number, 'bob');
  if (options.planned !== false) {
    const users = Object.fromEntries(
      Object.entries(change)
        .filter(([, content]) => content !== undefined)
        .flatMap(([path, content]) => parseOffboardingFile(path, content!).targets)
        .map((target) => [entryKey(target), (options.users ?? USERS)[target.email!] ?? null]),
    );
    const record: ReviewedPlan = {
      version: 1,
      scope: 'acme/people',
      change: number,
      commit: head,
      planDigest: `sha256:${'0'.repeat(64)}`,
      users,
      ...(options.applied && { applied: options.applied }),
    };
    github.comments.push({
      id: 9000 + number,
      issueNumber: number,
      body: [
        COMMENT_MARKER,
        ...markerLines({ record: encodeReviewedPlan(record, SMARTSHEET_TOKEN) }),
        'plan',
      ].join('\n'),
      user: { login: 'github-actions[bot]', type: 'Bot' },
    });
  }
  return options.squashed ? squash(number) : merge(number);
}

/** The plan entries of main's file `path` for these emails, each resolved to its user as a plan would. */
function entriesOf(path: string, ...emails: string[]): PlanEntry[] {
  return parseOffboardingFile(path, mainTree()[path]!)
    .targets.filter((target) => emails.includes(target.email!))
    .map((target) => ({
      target,
      user: { id: USERS[target.email!]!, email: target.email!, status: 'ACTIVE' },
      outcome: 'would-deactivate',
    }));
}

const tracer = (drift: DriftPolicy = 'report') =>
  new ProvenanceTracer(api, {
    branch: 'main',
    head: github.branches.get('main')!,
    globs: ['offboarding/**/*.yaml'],
    requiredApprovals: 1,
    token: SMARTSHEET_TOKEN,
    scope: 'acme/people',
    drift,
  });

async function provenance(entries: PlanEntry[], drift?: DriftPolicy) {
  const provenanceOf = await tracer(drift).trace(entries);
  return entries.map(provenanceOf);
}

describe('ProvenanceTracer', () => {
  it('finds the approved pull request that added an entry, once for all it added', async () => {
    mainWith({ 'README.md': 'people' });
    mergedPullRequest(7, { [A]: yaml(PEOPLE.sam.email, PEOPLE.jane.email) });
    github.requests.length = 0;
    expect(await provenance(entriesOf(A, PEOPLE.sam.email, PEOPLE.jane.email))).toEqual([
      { kind: 'approved', applied: false },
      { kind: 'approved', applied: false },
    ]);
    expect(github.requestsFor('pulls/get')).toHaveLength(1);
    expect(github.requestsFor('repos/list-commits')).toHaveLength(1);
  });

  it('follows a rename into archive/ and a move to another file back to the pull request that added it', async () => {
    mainWith({ 'README.md': 'people' });
    mergedPullRequest(7, { [A]: yaml(PEOPLE.sam.email, PEOPLE.jane.email) });
    // A direct push that only renames the file: it adds nobody, so it needs no approval.
    const renamed: Record<string, string> = { ...mainTree(), 'offboarding/archive/a.yaml': mainTree()[A]! };
    delete renamed[A];
    pushToMain(renamed);
    // A pull request that moves Jane into another file.
    mergedPullRequest(8, {
      'offboarding/archive/a.yaml': yaml(PEOPLE.sam.email),
      [B]: yaml(PEOPLE.jane.email),
    });
    expect(
      await provenance([
        ...entriesOf('offboarding/archive/a.yaml', PEOPLE.sam.email),
        ...entriesOf(B, PEOPLE.jane.email),
      ]),
    ).toEqual([
      { kind: 'approved', applied: false },
      { kind: 'approved', applied: false },
    ]);
  });

  it('refuses an entry added again by a direct push after a merged pull request removed it', async () => {
    mainWith({ 'README.md': 'people' });
    mergedPullRequest(7, { [A]: yaml(PEOPLE.sam.email, PEOPLE.jane.email) });
    mergedPullRequest(8, { [A]: yaml(PEOPLE.jane.email) });
    pushToMain({ ...mainTree(), [A]: yaml(PEOPLE.jane.email, PEOPLE.sam.email) });
    const [sam] = await provenance(entriesOf(A, PEOPLE.sam.email));
    expect(sam).toMatchObject({ kind: 'missing' });
    expect(sam).toHaveProperty(
      'message',
      expect.stringMatching(/which belongs to no pull request merged into main that adds it/),
    );
  });

  it('refuses what an unapproved pull request, or one never planned, added', async () => {
    mainWith({ 'README.md': 'people' });
    mergedPullRequest(7, { [A]: yaml(PEOPLE.sam.email) }, { approved: false });
    mergedPullRequest(8, { [B]: yaml(PEOPLE.jane.email) }, { planned: false });
    const [sam, jane] = await provenance([
      ...entriesOf(A, PEOPLE.sam.email),
      ...entriesOf(B, PEOPLE.jane.email),
    ]);
    expect(sam).toHaveProperty(
      'message',
      expect.stringContaining('added by pull request #7, which does not pass the approval rules'),
    );
    expect(jane).toHaveProperty(
      'message',
      expect.stringContaining(
        'added by pull request #8, but no plan run of the action commented a reviewed plan',
      ),
    );
  });

  it('refuses an entry that now resolves to another user than reviewers saw', async () => {
    mainWith({ 'README.md': 'people' });
    mergedPullRequest(7, { [A]: yaml(PEOPLE.sam.email) }, { users: { [PEOPLE.sam.email]: PEOPLE.big.id } });
    const [sam] = await provenance(entriesOf(A, PEOPLE.sam.email));
    expect(sam).toMatchObject({ kind: 'missing' });
    expect(sam).toHaveProperty('message', expect.stringContaining(`user ID ${PEOPLE.big.id}`));
  });

  it(`gives up after ${MAX_HISTORY_COMMITS} commits of a file, refusing rather than trusting`, async () => {
    mainWith({ 'README.md': 'people' });
    mergedPullRequest(7, { [A]: yaml(PEOPLE.sam.email) });
    for (let i = 0; i < MAX_HISTORY_COMMITS; i++) {
      pushToMain({ ...mainTree(), [A]: `# edit ${i}\n${yaml(PEOPLE.sam.email)}` });
    }
    const [sam] = await provenance(entriesOf(A, PEOPLE.sam.email));
    expect(sam).toHaveProperty(
      'message',
      expect.stringContaining(`no commit among the last ${MAX_HISTORY_COMMITS}`),
    );
  });
});

describe('ProvenanceTracer against history tricks', () => {
  // A merge of main into a branch cut while Sam was still listed, pushed straight to main (a fast forward):
  // its first parent is the branch, so first-parent history never passes the approved removal. GitHub lists
  // the file's history along the branch only when the merge keeps the branch's file as it is.
  it.each([
    ['keeps the branch file as it is', (file: string) => file],
    ['also edits the file, keeping the entry', (file: string) => `# merged\n${file}`],
  ])(
    'refuses an entry a merged pull request removed and a merge from an older branch brings back (it %s)',
    async (_, merged) => {
      mainWith({ 'README.md': 'people' });
      const added = mergedPullRequest(7, { [A]: yaml(PEOPLE.sam.email, PEOPLE.jane.email) });
      const stale = commit([added], { ...mainTree(), 'notes.md': 'unrelated' });
      const removed = mergedPullRequest(8, { [A]: yaml(PEOPLE.jane.email) });
      const staleTree = github.commits.get(stale)!.tree;
      github.branches.set('main', commit([stale, removed], { ...staleTree, [A]: merged(staleTree[A]!) }));
      const [sam] = await provenance(entriesOf(A, PEOPLE.sam.email));
      expect(sam).toMatchObject({ kind: 'missing' });
      expect(sam).toHaveProperty(
        'message',
        expect.stringMatching(
          /added by pull request #7, but commit [0-9a-f]{7}, which landed after that pull request was merged, removed it/,
        ),
      );
    },
  );
});

describe('ProvenanceTracer, what holds', () => {
  const dated = (reason: string, on: string) =>
    `users:\n  - email: ${PEOPLE.sam.email}\n    reason: ${reason}\n    deactivate-on: ${on}\n`;

  it('traces a squash merge; a direct push that re-words the reason keeps it, one that moves the date does not', async () => {
    mainWith({ 'README.md': 'people' });
    mergedPullRequest(7, { [A]: dated('leaver', '2026-11-20') }, { squashed: true });
    pushToMain({ ...mainTree(), [A]: dated('left the company', '2026-11-20T00:00:00Z') });
    expect(await provenance(entriesOf(A, PEOPLE.sam.email))).toEqual([{ kind: 'approved', applied: false }]);
    pushToMain({ ...mainTree(), [A]: dated('left the company', '2026-11-19') });
    const [sam] = await provenance(entriesOf(A, PEOPLE.sam.email));
    expect(sam).toHaveProperty(
      'message',
      expect.stringMatching(/which belongs to no pull request merged into main that adds it/),
    );
  });

  it('refuses a record copied from another pull request into the comment of the one that added the entry', async () => {
    mainWith({ 'README.md': 'people' });
    mergedPullRequest(7, { [A]: yaml(PEOPLE.sam.email) });
    mergedPullRequest(8, { [B]: yaml(PEOPLE.jane.email) }, { planned: false });
    const planOf7 = github.comments.find((comment) => comment.issueNumber === 7)!;
    github.comments.push({ ...planOf7, id: 9999, issueNumber: 8 });
    const [jane] = await provenance(entriesOf(B, PEOPLE.jane.email));
    expect(jane).toHaveProperty(
      'message',
      expect.stringContaining('its reviewed-plan record is for another commit'),
    );
  });

  it('refuses an entry whose approved pull request was merged into another branch', async () => {
    mainWith({ 'README.md': 'people' });
    // The fake lands every merge on main: what counts is that the pull request's base is not main.
    mergedPullRequest(7, { [A]: yaml(PEOPLE.sam.email) }, { base: 'release' });
    const [sam] = await provenance(entriesOf(A, PEOPLE.sam.email));
    expect(sam).toHaveProperty(
      'message',
      expect.stringContaining('belongs to no pull request merged into main'),
    );
  });
});

describe('ProvenanceTracer, drift and removals since the merge', () => {
  it('checks an applied user for a removal since the merge only when drift is reverted', async () => {
    mainWith({ 'README.md': 'people' });
    const added = mergedPullRequest(7, { [A]: yaml(PEOPLE.sam.email) }, { applied: [PEOPLE.sam.id] });
    const stale = commit([added], { ...mainTree(), 'notes.md': 'unrelated' });
    const removed = mergedPullRequest(8, { [A]: yaml() });
    github.branches.set('main', commit([stale, removed], { ...github.commits.get(stale)!.tree }));
    github.requests.length = 0;
    // Reported, never deactivated: no check, whose cost grows with the commits since the merge.
    expect(await provenance(entriesOf(A, PEOPLE.sam.email), 'report')).toEqual([
      { kind: 'approved', applied: true },
    ]);
    expect(github.requestsFor('repos/compare-commits-with-basehead')).toHaveLength(1);
    const [sam] = await provenance(entriesOf(A, PEOPLE.sam.email), 'revert');
    expect(sam).toHaveProperty(
      'message',
      expect.stringMatching(/landed after that pull request was merged, removed it/),
    );
  });
});

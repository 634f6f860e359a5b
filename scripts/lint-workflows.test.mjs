// Tests for lint-workflows.mjs, run by `pnpm run lint:workflows` before the linter checks the repository.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findUnpinnedUses, lintWorkflows } from './lint-workflows.mjs';

const CHECKOUT_SHA = '08c6903cd8c0fde910a37f88322edcfb5dd907a8';

const validWorkflow = `name: ci
on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@${CHECKOUT_SHA} # v5.0.0
        with:
          persist-credentials: false
      - uses: ./
      - run: echo done
`;

const validAction = `name: Example
description: An action on the runtime GitHub runners provide.
runs:
  using: node24
  main: packages/action/dist/index.js
`;

describe('findUnpinnedUses', () => {
  it('accepts full SHAs with a version comment and local actions', () => {
    assert.deepEqual(findUnpinnedUses(validWorkflow), []);
  });

  it('reports tags, branches, short SHAs and missing versions with their line', () => {
    const problems = findUnpinnedUses(
      [
        'steps:',
        '  - uses: actions/checkout@v5',
        '  - uses: "actions/setup-node@main"',
        '  - uses: changesets/action@e0145ed # v1.5.3',
        '  - uses: some/action',
        '  uses: org/repo/.github/workflows/reusable.yml@v2',
      ].join('\n'),
    );
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [2, 3, 4, 5, 6],
    );
    assert.match(problems[0].message, /"actions\/checkout@v5" is pinned to "v5", which can move/);
    assert.match(problems[3].message, /names no version/);
  });

  it('requires the "# vX.Y.Z" comment next to a SHA', () => {
    const [problem] = findUnpinnedUses(`      - uses: actions/checkout@${CHECKOUT_SHA}`);
    assert.match(problem.message, /has no "# vX.Y.Z" comment/);
  });

  it('requires a digest for docker actions', () => {
    assert.equal(findUnpinnedUses('- uses: docker://alpine:3.20').length, 1);
    assert.deepEqual(findUnpinnedUses(`- uses: docker://alpine@sha256:${'a'.repeat(64)}`), []);
  });

  it("allows this project's own action by major tag only where asked (example workflows)", () => {
    const line = '      - uses: smartsheet-offboard/smartsheet-offboard@v1';
    assert.equal(findUnpinnedUses(line).length, 1);
    assert.deepEqual(findUnpinnedUses(line, { allowOwnActionTag: true }), []);
    assert.equal(findUnpinnedUses('- uses: other/action@v1', { allowOwnActionTag: true }).length, 1);
  });
});

describe('lintWorkflows', () => {
  const roots = [];
  const makeRoot = (files) => {
    const root = mkdtempSync(join(tmpdir(), 'lint-workflows-test-'));
    roots.push(root);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  };
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('passes valid, pinned workflows and a node24 action', () => {
    const root = makeRoot({
      '.github/workflows/ci.yml': validWorkflow,
      'examples/workflows/offboard.yml': validWorkflow,
      'action.yml': validAction,
    });
    assert.deepEqual(lintWorkflows(root), {
      files: ['.github/workflows/ci.yml', 'examples/workflows/offboard.yml', 'action.yml'],
      problems: [],
    });
  });

  it('fails a workflow that breaks the schema, naming the file and the property', () => {
    const root = makeRoot({
      '.github/workflows/broken.yml': validWorkflow.replace('runs-on:', 'runs-onn:'),
    });
    const { problems } = lintWorkflows(root);
    assert.ok(problems.length > 0);
    assert.ok(problems.every((problem) => problem.startsWith('.github/workflows/broken.yml: ')));
    assert.ok(problems.some((problem) => problem.includes("'runs-onn'")));
  });

  it('accepts concurrency with queue: max, and still checks the rest of the concurrency block', () => {
    const queued = validWorkflow.replace(
      'permissions: {}\n',
      'permissions: {}\nconcurrency:\n  group: apply\n  cancel-in-progress: false\n  queue: max\n',
    );
    assert.deepEqual(lintWorkflows(makeRoot({ 'examples/workflows/queued.yml': queued })).problems, []);
    const misspelt = queued.replace('cancel-in-progress:', 'cancel-in-progres:');
    assert.ok(lintWorkflows(makeRoot({ 'examples/workflows/queued.yml': misspelt })).problems.length > 0);
    const otherQueue = queued.replace('queue: max', 'queue: all');
    assert.ok(lintWorkflows(makeRoot({ 'examples/workflows/queued.yml': otherQueue })).problems.length > 0);
  });

  it('fails an unpinned action in an example workflow', () => {
    const root = makeRoot({
      'examples/workflows/offboard.yml': validWorkflow.replace(`@${CHECKOUT_SHA} # v5.0.0`, '@v5'),
    });
    assert.deepEqual(
      lintWorkflows(root).problems.map((problem) => problem.split(': ')[0]),
      ['examples/workflows/offboard.yml:10'],
    );
  });

  it('fails an action.yml with an unknown runtime', () => {
    const root = makeRoot({ 'action.yml': validAction.replace('node24', 'node99') });
    const { problems } = lintWorkflows(root);
    assert.ok(problems.length > 0);
    assert.ok(problems.every((problem) => problem.startsWith('action.yml: ')));
  });
});

#!/usr/bin/env node
// Checks the repository's GitHub Actions files before anyone pushes them: the workflows in
// .github/workflows and examples/workflows and the root action.yml must match GitHub's schemas
// (action-validator), and every third-party action a workflow uses must be pinned to a full commit SHA,
// because a tag can be moved to different code after review.
//
// Usage: node scripts/lint-workflows.mjs [repository-root]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKFLOW_DIRS = ['.github/workflows', 'examples/workflows'];
export const ACTION_FILE = 'action.yml';

const VALIDATOR_CLI = fileURLToPath(import.meta.resolve('@action-validator/cli/cli.mjs'));
const MAX_ERRORS_PER_FILE = 20;

const USES_LINE = /^\s*(?:-\s+)?uses:\s*(['"]?)([^'"\s#]+)\1\s*(?:#\s*(.*))?$/;
const FULL_SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /^v\d+(\.\d+){0,2}\b/;
const DOCKER_DIGEST = /@sha256:[0-9a-f]{64}$/;
// Users reference this project's own action by its major tag until a release SHA exists to copy.
const OWN_ACTION = /^[\w.-]+\/smartsheet-offboard$/;
const OWN_ACTION_TAG = /^v\d+(\.\d+\.\d+)?$/;

/**
 * Finds `uses:` references in a workflow that are not pinned to an immutable commit.
 * Line-based on purpose: the problems must point at the line to fix.
 * @param {string} text the workflow's YAML source
 * @param {{ allowOwnActionTag?: boolean }} [options] allow `<owner>/smartsheet-offboard@vN` (example workflows)
 * @returns {{ line: number, message: string }[]}
 */
export function findUnpinnedUses(text, options = {}) {
  const problems = [];
  text.split(/\r?\n/).forEach((source, index) => {
    const match = USES_LINE.exec(source);
    if (!match) return;
    const [, , ref, comment = ''] = match;
    const line = index + 1;
    if (ref.startsWith('./')) return;
    if (ref.startsWith('docker://')) {
      if (!DOCKER_DIGEST.test(ref)) {
        problems.push({ line, message: `"${ref}" is not pinned: use docker://image@sha256:<64-hex digest>` });
      }
      return;
    }
    const at = ref.lastIndexOf('@');
    if (at <= 0) {
      problems.push({
        line,
        message: `"${ref}" names no version: use owner/repo@<40-hex commit SHA> # vX.Y.Z`,
      });
      return;
    }
    const name = ref.slice(0, at);
    const version = ref.slice(at + 1);
    if (options.allowOwnActionTag && OWN_ACTION.test(name) && OWN_ACTION_TAG.test(version)) return;
    if (!FULL_SHA.test(version)) {
      problems.push({
        line,
        message: `"${ref}" is pinned to "${version}", which can move: use ${name}@<40-hex commit SHA> # vX.Y.Z`,
      });
    } else if (!VERSION_COMMENT.test(comment.trim())) {
      problems.push({
        line,
        message: `"${ref}" has no "# vX.Y.Z" comment naming the release that SHA belongs to`,
      });
    }
  });
  return problems;
}

/** Flattens action-validator's nested one_of errors into readable, de-duplicated lines. */
function describeValidatorErrors(errors) {
  const leaves = (list) =>
    list.flatMap((error) =>
      error.states
        ? leaves(error.states.flatMap((state) => state.errors))
        : [`${error.path || '/'}: ${error.detail ?? error.title}`],
    );
  return [...new Set(leaves(errors))];
}

/**
 * action-validator 0.6.0's schema only knows `runs.using` node12/node16/node20, but GitHub runs node24
 * actions (and has removed node20 from its runners): validate a copy that says node20 instead, so the
 * rest of action.yml is still checked.
 */
function validatableActionSource(source) {
  return source.replace(/^(\s+using:\s*['"]?)node24(['"]?\s*(?:#.*)?)$/m, '$1node20$2');
}

/**
 * action-validator 0.6.0's schema predates `concurrency.queue` (GitHub, May 2026: `queue: max` keeps every
 * waiting run instead of only the latest): validate a copy without that line, so the rest of the
 * concurrency block and the workflow are still checked. Any other value stays and is reported.
 */
export function validatableWorkflowSource(source) {
  return source.replace(/^(\s+)queue:\s*['"]?max['"]?\s*(?:#.*)?\r?\n/m, '');
}

function validateWorkflow(path) {
  const scratch = mkdtempSync(join(tmpdir(), 'lint-workflows-'));
  try {
    const copy = join(scratch, 'workflow.yml');
    writeFileSync(copy, validatableWorkflowSource(readFileSync(path, 'utf8')));
    return runValidator(copy);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function runValidator(path) {
  const result = spawnSync(process.execPath, [VALIDATOR_CLI, path], { encoding: 'utf8' });
  if (result.status === 0) return [];
  const output = `${result.stderr}${result.stdout}`.trim();
  try {
    return describeValidatorErrors(JSON.parse(output).errors).slice(0, MAX_ERRORS_PER_FILE);
  } catch {
    return [output || `action-validator exited with code ${result.status}`];
  }
}

function validateAction(path) {
  const scratch = mkdtempSync(join(tmpdir(), 'lint-workflows-'));
  try {
    // The file name must stay action.yml: that is how action-validator tells an action from a workflow.
    const copy = join(scratch, ACTION_FILE);
    writeFileSync(copy, validatableActionSource(readFileSync(path, 'utf8')));
    return runValidator(copy);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function listYaml(root, dir) {
  const absolute = join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `${dir}/${name}`);
}

/**
 * Lints every workflow and the action manifest under `root`.
 * @returns {{ files: string[], problems: string[] }} problems as "file[:line]: message"
 */
export function lintWorkflows(root) {
  const problems = [];
  const workflows = WORKFLOW_DIRS.flatMap((dir) => listYaml(root, dir));
  for (const file of workflows) {
    const path = join(root, file);
    for (const error of validateWorkflow(path)) problems.push(`${file}: ${error}`);
    const pinning = findUnpinnedUses(readFileSync(path, 'utf8'), {
      allowOwnActionTag: file.startsWith('examples/'),
    });
    for (const { line, message } of pinning) problems.push(`${file}:${line}: ${message}`);
  }
  const files = [...workflows];
  if (existsSync(join(root, ACTION_FILE))) {
    files.push(ACTION_FILE);
    for (const error of validateAction(join(root, ACTION_FILE))) problems.push(`${ACTION_FILE}: ${error}`);
  }
  return { files, problems };
}

function main() {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { files, problems } = lintWorkflows(root);
  if (files.length === 0) {
    console.error(`lint-workflows: no workflow or action files found under ${root}`);
    process.exitCode = 1;
  } else if (problems.length > 0) {
    console.error(`lint-workflows: ${problems.length} problem(s) in GitHub Actions files:`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exitCode = 1;
  } else {
    console.log(`lint-workflows: ${files.length} file(s) valid and pinned: ${files.join(', ')}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

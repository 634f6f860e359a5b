// Keeps the README, action.yml, the example workflows and the inputs the code reads in step.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_MANIFEST_PATHS, readInputs } from '../src/inputs.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(packageDir, '..', '..');
// The action's documentation lives in the root README, the page GitHub shows for the action.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};
const examplesDir = join(root, 'examples', 'workflows');

/** The first cells of the table under a `## heading`, and the rest of each row. */
function table(heading: string): { name: string; cells: string[] }[] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\|\s*`[^`]+`\s*\|/.test(line))
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim());
      return { name: cells[0]!.replace(/`/g, ''), cells: cells.slice(1) };
    });
}

describe('action.yml', () => {
  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'packages/action/dist/index.js' });
    expect(readFileSync(join(root, action.runs.main), 'utf8').length).toBeGreaterThan(0);
  });

  it('declares exactly the inputs the code reads', () => {
    const read: string[] = [];
    const getInput = (name: string) => {
      read.push(name);
      return '';
    };
    readInputs({ getInput, setSecret: () => {} });
    expect(read.sort()).toEqual(Object.keys(action.inputs).sort());
  });
});

describe('README', () => {
  it('lists every input of action.yml, in order, with its default', () => {
    const rows = table('Inputs');
    expect(rows.map((row) => row.name)).toEqual(Object.keys(action.inputs));
    for (const row of rows) {
      const declared = action.inputs[row.name]!.default;
      if (declared !== undefined) expect(row.cells[0], row.name).toBe(`\`${declared}\``);
    }
    const manifestPaths = rows.find((row) => row.name === 'manifest-paths')!;
    expect(manifestPaths.cells[0]).toBe(`\`${DEFAULT_MANIFEST_PATHS.join('\n')}\``);
  });

  it('lists every output of action.yml, in order', () => {
    expect(table('Outputs').map((row) => row.name)).toEqual(Object.keys(action.outputs));
  });

  it('shows every example workflow exactly as the file has it', () => {
    const files = readdirSync(examplesDir).filter((name) => name.endsWith('.yml'));
    expect(files.sort()).toEqual([
      'apply-on-approval.yml',
      'apply-on-merge.yml',
      'manual-dispatch.yml',
      'plan-on-pull-request.yml',
      'reconcile.yml',
      'rollback.yml',
    ]);
    for (const file of files) {
      const shown = readme.split(`<!-- example: ${file} -->\n\`\`\`yaml\n`)[1]?.split('\n```\n')[0];
      expect(shown, file).toBe(readFileSync(join(examplesDir, file), 'utf8').trimEnd());
      // Linked too, from the table of workflows or the section that explains it.
      expect(readme, file).toContain(`(examples/workflows/${file})`);
    }
  });

  it('no longer says that nothing deactivates a scheduled entry, now that reconcile does', () => {
    expect(readme).not.toMatch(/nothing deactivates a scheduled entry by itself yet/i);
    expect(readme).not.toMatch(/reconcile[^.]*is not in this release/i);
    for (const heading of ['### Reconcile (`mode: reconcile`)', '### Drift', '### Leave dates']) {
      expect(readme).toContain(`\n${heading}\n`);
    }
  });
});

describe('SECURITY.md and the README', () => {
  const security = readFileSync(join(root, 'SECURITY.md'), 'utf8');
  it('recommend requiring approval of the most recent reviewable push, which the action cannot check', () => {
    expect(readme.toLowerCase()).toContain('require approval of the most recent reviewable push');
    expect(security.toLowerCase()).toContain('require approval of the most recent reviewable push');
  });

  it('explain planning on pull_request_target, the record and rotating the token', () => {
    for (const heading of [
      '## Planning on `pull_request_target`, with the token in an environment',
      '## The reviewed-plan record, and rotating the token',
      '## What the action cannot detect',
    ]) {
      expect(security).toContain(heading);
    }
  });
});

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  environment?: string;
  permissions: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: unknown;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

const OWN_ACTION = 'smartsheet-offboard/smartsheet-offboard';

/** The steps of a workflow that run this action. */
function actionSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) =>
    job.steps.filter((step) => step.uses?.split('@')[0] === OWN_ACTION),
  );
}

/** A workflow whose run reconciles: on a timer (every schedule run does), or with `mode: reconcile`. */
function reconciles(workflow: Workflow): boolean {
  return (
    'schedule' in workflow.on || actionSteps(workflow).some((step) => step.with?.['mode'] === 'reconcile')
  );
}

describe('example workflows', () => {
  const workflows = readdirSync(examplesDir)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => ({ name, workflow: parse(readFileSync(join(examplesDir, name), 'utf8')) as Workflow }));
  const named = (file: string) => workflows.find(({ name }) => name === file)!.workflow;
  // Every workflow but the plan on pull_request_target can change Smartsheet.
  const changing = workflows.filter(({ workflow }) =>
    Object.keys(workflow.on).some((event) => event !== 'pull_request_target'),
  );

  it.each(workflows)('$name grants nothing by default and each job only what it needs', ({ workflow }) => {
    expect(workflow.permissions).toEqual({});
    // Only a reconcile keeps an issue (the drift issue); comments on pull requests need pull-requests.
    const allowed = ['contents:read', 'pull-requests:read', 'pull-requests:write'];
    if (reconciles(workflow)) allowed.push('issues:write');
    for (const job of Object.values(workflow.jobs)) {
      // Declared on every job, even when it needs nothing.
      expect(job.permissions).toBeTypeOf('object');
      for (const [scope, level] of Object.entries(job.permissions)) {
        expect(allowed).toContain(`${scope}:${level}`);
      }
    }
  });

  it('counts every workflow that can change Smartsheet as an apply', () => {
    expect(changing.map(({ name }) => name).sort()).toEqual([
      'apply-on-approval.yml',
      'apply-on-merge.yml',
      'manual-dispatch.yml',
      'reconcile.yml',
      'rollback.yml',
    ]);
  });

  it.each(changing)(
    '$name applies one run at a time, never cancels one and keeps every pending one (queue: max)',
    ({ workflow }) => {
      // queue: max keeps every waiting run: without it a third run cancels the one waiting.
      expect(workflow.concurrency).toEqual({
        group: 'offboarding-apply',
        'cancel-in-progress': false,
        queue: 'max',
      });
    },
  );

  it('plans on pull_request_target with the token in an environment, and checks out nothing', () => {
    const workflow = named('plan-on-pull-request.yml');
    expect(Object.keys(workflow.on)).toEqual(['pull_request_target']);
    const [job] = Object.values(workflow.jobs);
    expect(job!.environment).toBe('smartsheet-plan');
    expect(job!.steps.map((step) => step.uses?.split('@')[0])).toEqual([OWN_ACTION]);
  });

  it('reconciles on a timer and by hand, like the apply on merge, reading everything through the API', () => {
    const workflow = named('reconcile.yml');
    const onMerge = named('apply-on-merge.yml');
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(workflow.on['schedule']).toEqual([{ cron: expect.stringMatching(/^\S+( \S+){4}$/) }]);
    expect(workflow.on['workflow_dispatch']).toMatchObject({ inputs: { 'dry-run': { type: 'boolean' } } });
    expect(reconciles(onMerge)).toBe(false);

    const [job] = Object.values(workflow.jobs);
    const [mergeJob] = Object.values(onMerge.jobs);
    // No checkout: the default branch's files are read through the GitHub API.
    expect(job!.steps[0]!.uses?.split('@')[0]).toBe(OWN_ACTION);
    expect(job!.steps.filter((step) => step.uses !== undefined)).toHaveLength(1);
    // The applies' environment (and so their token), and the applies' rules.
    expect(job!.environment).toBe(mergeJob!.environment);
    const [step] = actionSteps(workflow);
    const [mergeStep] = actionSteps(onMerge);
    // The nightly run (no inputs) applies; a run by hand previews unless told otherwise.
    expect(step!.with).toMatchObject({
      mode: 'reconcile',
      'dry-run': expect.stringMatching(/^\$\{\{\s*inputs\.dry-run\s*\}\}$/),
    });
    for (const input of [
      'smartsheet-token',
      'plan-domains',
      'protected-users',
      'required-approvals',
      'max-deactivations',
    ]) {
      expect(step!.with?.[input], input).toEqual(mergeStep!.with?.[input]);
    }
    // The apply's permissions for the pull requests and their comments, plus the drift issue for
    // `drift: report` (the default).
    const keepsIssue = (step!.with?.['drift'] ?? 'report') === 'report';
    expect(job!.permissions).toEqual({
      ...mergeJob!.permissions,
      ...(keepsIssue ? { issues: 'write' } : {}),
    });
  });

  it.each(workflows)('$name reads the token only inside an environment', ({ workflow }) => {
    for (const job of Object.values(workflow.jobs)) {
      if (JSON.stringify(job.steps).includes('SMARTSHEET_ACCESS_TOKEN'))
        expect(job.environment).toBeDefined();
    }
  });

  it.each(workflows)('$name checks out without persisting credentials', ({ workflow }) => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'))) {
        expect(step.with?.['persist-credentials']).toBe(false);
      }
    }
  });
});

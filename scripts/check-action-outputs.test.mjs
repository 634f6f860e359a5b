// Tests for check-action-outputs.mjs, the CI step that checks a run of the action against the simulator.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkActionOutputs } from './check-action-outputs.mjs';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('checkActionOutputs', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'check-action-outputs-test-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  const outputsFor = (mode, results) => {
    const report = {
      mode,
      planDigest: DIGEST,
      summary: {},
      results,
    };
    const reportPath = join(scratch, `${mode}-report.json`);
    writeFileSync(reportPath, JSON.stringify(report, null, 2));
    const idsWith = (outcome) =>
      JSON.stringify(results.filter((result) => result.outcome === outcome).map((result) => result.id));
    return {
      EXPECTED_MODE: mode,
      EXPECTED_USER_IDS: '48569348493401200',
      EXPECTED_EMAILS: 'sam.lee@example.com',
      OUTPUT_PLAN_DIGEST: DIGEST,
      OUTPUT_DEACTIVATED: idsWith('deactivated'),
      OUTPUT_ALREADY_DEACTIVATED: '[]',
      OUTPUT_BLOCKED: idsWith('blocked'),
      OUTPUT_NOT_FOUND: '[]',
      OUTPUT_FAILED: '[]',
      OUTPUT_REPORT: JSON.stringify(report),
      OUTPUT_REPORT_PATH: reportPath,
    };
  };
  const result = (given, id, outcome) => ({ given, id, email: `${id}@example.com`, outcome });

  it('accepts a plan where every target would be deactivated', () => {
    const env = outputsFor('plan', [
      result('48569348493401200', '48569348493401200', 'would-deactivate'),
      result('sam.lee@example.com', '4583173393803140', 'would-deactivate'),
    ]);
    assert.deepEqual(checkActionOutputs(env), []);
  });

  it('accepts an apply whose deactivated output lists the deactivated IDs', () => {
    const env = outputsFor('apply', [
      result('48569348493401200', '48569348493401200', 'deactivated'),
      result('sam.lee@example.com', '4583173393803140', 'deactivated'),
    ]);
    assert.deepEqual(checkActionOutputs(env), []);
  });

  it('reports a blocked target, a missing result and a bad digest', () => {
    const env = {
      ...outputsFor('apply', [result('48569348493401200', '48569348493401200', 'blocked')]),
      OUTPUT_PLAN_DIGEST: 'sha256:nope',
    };
    const problems = checkActionOutputs(env);
    assert.ok(problems.some((problem) => problem.startsWith('output plan-digest is "sha256:nope"')));
    assert.ok(problems.some((problem) => problem.startsWith('target 48569348493401200 ended blocked')));
    assert.ok(problems.includes('report has no result for target sam.lee@example.com'));
  });

  it('reports outputs that disagree with the report, and numeric IDs', () => {
    const env = {
      ...outputsFor('apply', [
        result('48569348493401200', '48569348493401200', 'deactivated'),
        { ...result('sam.lee@example.com', '1', 'deactivated'), id: 4583173393803140 },
      ]),
      OUTPUT_DEACTIVATED: '["48569348493401200"]',
      OUTPUT_FAILED: '',
    };
    const problems = checkActionOutputs(env);
    assert.ok(problems.some((problem) => problem.startsWith('output deactivated ')));
    assert.ok(problems.some((problem) => problem.startsWith('output failed is not JSON')));
    assert.ok(problems.includes('result id 4583173393803140 is not a decimal string'));
  });

  it('refuses an unknown mode', () => {
    assert.deepEqual(checkActionOutputs({ EXPECTED_MODE: 'auto' }), [
      'EXPECTED_MODE is "auto"; allowed: plan, apply',
    ]);
  });
});

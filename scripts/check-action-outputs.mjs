#!/usr/bin/env node
// CI check of the outputs of a run of this repository's action (`uses: ./`) against the simulator:
// each output is set, well-formed and agrees with the JSON report, and every target got the outcome
// the mode promises (plan: would-deactivate; apply: deactivated).
// Reads EXPECTED_* and OUTPUT_* environment variables (see .github/workflows/ci.yml).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ID_LIST_OUTPUTS = {
  deactivated: 'OUTPUT_DEACTIVATED',
  'already-deactivated': 'OUTPUT_ALREADY_DEACTIVATED',
  blocked: 'OUTPUT_BLOCKED',
  'not-found': 'OUTPUT_NOT_FOUND',
  failed: 'OUTPUT_FAILED',
};
const EXPECTED_OUTCOME = { plan: 'would-deactivate', apply: 'deactivated' };

const splitList = (value = '') => value.split(/[\s,]+/).filter((item) => item !== '');

function parseJson(name, text, problems) {
  try {
    return JSON.parse(text);
  } catch {
    problems.push(`output ${name} is not JSON: ${JSON.stringify(String(text).slice(0, 200))}`);
    return undefined;
  }
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {string[]} problems; empty when the outputs are right
 */
export function checkActionOutputs(env) {
  const problems = [];
  const mode = env.EXPECTED_MODE;
  const outcome = EXPECTED_OUTCOME[mode];
  if (!outcome) return [`EXPECTED_MODE is ${JSON.stringify(mode)}; allowed: plan, apply`];
  const targets = [...splitList(env.EXPECTED_USER_IDS), ...splitList(env.EXPECTED_EMAILS)];
  if (targets.length === 0) return ['EXPECTED_USER_IDS and EXPECTED_EMAILS are both empty: nothing to check'];

  const digest = env.OUTPUT_PLAN_DIGEST ?? '';
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
    problems.push(`output plan-digest is ${JSON.stringify(digest)}; expected sha256:<64 hex>`);
  }

  const lists = {};
  for (const [name, variable] of Object.entries(ID_LIST_OUTPUTS)) {
    const list = parseJson(name, env[variable] ?? '', problems);
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
      problems.push(`output ${name} is not a JSON array of strings: ${env[variable]}`);
      continue;
    }
    lists[name] = list;
  }

  const report = parseJson('report', env.OUTPUT_REPORT ?? '', problems);
  if (report === undefined) return problems;
  if (report.mode !== mode)
    problems.push(`report.mode is ${JSON.stringify(report.mode)}; expected "${mode}"`);
  if (report.planDigest !== digest) {
    problems.push(`report.planDigest ${JSON.stringify(report.planDigest)} differs from output plan-digest`);
  }
  const results = Array.isArray(report.results) ? report.results : [];
  for (const target of targets) {
    const result = results.find((candidate) => candidate.given === target);
    if (!result) problems.push(`report has no result for target ${target}`);
    else if (result.outcome !== outcome) {
      problems.push(
        `target ${target} ended ${result.outcome} (${result.reason ?? 'no reason'}); expected ${outcome}`,
      );
    }
  }
  if (results.length !== targets.length) {
    problems.push(`report has ${results.length} result(s) for ${targets.length} target(s)`);
  }
  for (const result of results) {
    if (result.id !== undefined && (typeof result.id !== 'string' || !/^\d+$/.test(result.id))) {
      problems.push(`result id ${JSON.stringify(result.id)} is not a decimal string`);
    }
  }
  const deactivatedIds = results
    .filter((result) => result.outcome === 'deactivated')
    .map((result) => result.id);
  if (
    lists.deactivated &&
    JSON.stringify([...lists.deactivated].sort()) !== JSON.stringify(deactivatedIds.sort())
  ) {
    problems.push(
      `output deactivated ${JSON.stringify(lists.deactivated)} differs from the report's deactivated users`,
    );
  }

  const reportPath = env.OUTPUT_REPORT_PATH ?? '';
  if (!reportPath) problems.push('output report-path is empty');
  else {
    let fileText;
    try {
      fileText = readFileSync(reportPath, 'utf8');
    } catch (error) {
      problems.push(`report-path ${reportPath} cannot be read: ${error.message}`);
    }
    const fileReport = fileText === undefined ? undefined : parseJson('report-path file', fileText, problems);
    if (fileReport !== undefined && JSON.stringify(fileReport) !== JSON.stringify(report)) {
      problems.push(`the report at ${reportPath} differs from output report`);
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkActionOutputs(process.env);
  if (problems.length > 0) {
    console.error(`The action's outputs are wrong (${problems.length} problem(s)):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exitCode = 1;
  } else {
    console.log("The action's outputs agree with its report.");
  }
}

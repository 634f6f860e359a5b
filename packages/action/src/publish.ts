import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  describeResult,
  idsByOutcome,
  OUTCOME_TITLES,
  PROBLEM_OUTCOMES,
  REASON_TITLES,
  type Report,
  type ReportResult,
  redactSecrets,
  reportToJson,
} from '@smartsheet-offboard/core';
import type { ActionEnvironment } from './event.js';
import type { GitHubApi, PullRequestInfo } from './github.js';
import type { ActionInputs } from './inputs.js';
import { type RenderInput, renderWithin, SIZE_LIMITS } from './render.js';
import { upsertStickyComment } from './reviewed-plan.js';

/** Where an annotation points: a line of a file in the repository. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

/** The part of `@actions/core` the run reports through; tests pass a recorder. */
export interface Reporter {
  info(message: string): void;
  notice(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  setOutput(name: string, value: string): void;
  /** Appends markdown to the job summary. */
  writeSummary(markdown: string): Promise<void>;
}

/** The outputs, each set to a safe default before anything can fail. */
const LIST_OUTPUTS = {
  deactivated: 'deactivated',
  scheduled: 'scheduled',
  'already-deactivated': 'already-deactivated',
  blocked: 'blocked',
  'not-found': 'not-found',
  failed: 'failed',
} as const;

/**
 * Sets every output to its safe default (`[]`, or empty), so a step that reads them after a failure, even
 * one over an invalid input, gets valid JSON and no stale value.
 */
export function setSafeOutputs(reporter: Pick<Reporter, 'setOutput'>): void {
  for (const name of Object.keys(LIST_OUTPUTS)) reporter.setOutput(name, '[]');
  for (const name of ['plan-digest', 'report', 'report-path']) reporter.setOutput(name, '');
}

/** GitHub refuses an output over 1 MB; some room is left for the other outputs. */
export const MAX_OUTPUT_BYTES = 900_000;

export interface Publication {
  render: RenderInput;
  /** The pull request whose sticky comment shows the run; none for a run without one. */
  pullRequest?: PullRequestInfo;
}

/**
 * Everything the run shows: annotations and outputs for a report, then the job summary and the sticky
 * comment. Neither of the last two failing fails the run.
 */
export async function publish(
  { render, pullRequest: pr }: Publication,
  inputs: ActionInputs,
  deps: { reporter: Reporter; environment: ActionEnvironment; github?: GitHubApi },
): Promise<void> {
  const { reporter } = deps;
  if (render.report) {
    annotate(render.report, reporter);
    await setReportOutputs(render.report, reporter, deps.environment);
  }
  const secrets = [inputs.smartsheetToken, inputs.githubToken].filter((s): s is string => s !== undefined);
  try {
    await reporter.writeSummary(redactSecrets(renderWithin(render, SIZE_LIMITS.summary), secrets));
  } catch (error) {
    reporter.warning(`Could not write the job summary: ${errorText(error)}`);
  }
  if (!pr || !inputs.commentOnPr || !deps.github) return;
  try {
    const how = await upsertStickyComment(
      deps.github,
      pr.number,
      redactSecrets(renderWithin({ ...render, maxRows: 200 }, SIZE_LIMITS.comment), secrets),
    );
    reporter.info(
      `${how === 'created' ? 'Commented on' : 'Updated the comment on'} pull request #${pr.number}.`,
    );
  } catch (error) {
    reporter.warning(
      `Could not comment on pull request #${pr.number}: ${errorText(error)}. A pull request from a fork gets a ` +
        'read-only token; the job summary has the same content.',
    );
  }
}

/** One annotation per finding and per target that did not end done, on its line when it came from a file. */
function annotate(report: Report, reporter: Reporter): void {
  for (const finding of report.findings ?? []) {
    reporter.error(
      finding.message,
      finding.source === 'input'
        ? { title: `Invalid ${finding.file} input` }
        : { title: 'Invalid offboarding file', file: finding.file, startLine: finding.line },
    );
  }
  for (const result of report.results) {
    if (!PROBLEM_OUTCOMES.has(result.outcome)) continue;
    const title = result.reason ? REASON_TITLES[result.reason] : OUTCOME_TITLES[result.outcome];
    reporter.error(describeResult(result), { title, ...fileLocation(result) });
  }
}

function fileLocation(result: ReportResult): AnnotationProperties {
  return result.source && 'file' in result.source
    ? { file: result.source.file, startLine: result.source.line }
    : {};
}

async function setReportOutputs(report: Report, reporter: Reporter, environment: ActionEnvironment) {
  const people = idsByOutcome(report);
  for (const [name, outcome] of Object.entries(LIST_OUTPUTS))
    reporter.setOutput(name, JSON.stringify(people[outcome] ?? []));
  reporter.setOutput('plan-digest', report.planDigest ?? '');
  const json = reportToJson(report);
  const tooLarge = Buffer.byteLength(json) > MAX_OUTPUT_BYTES;
  reporter.setOutput('report', tooLarge ? '' : json);
  const directory = await mkdtemp(join(environment.runnerTemp, 'smartsheet-offboard-'));
  const path = join(directory, 'report.json');
  await writeFile(path, `${json}\n`);
  reporter.setOutput('report-path', path);
  if (tooLarge) {
    reporter.warning(
      `The JSON report is over GitHub's 1 MB limit for an output, so the report output is empty: read ${path} (the report-path output).`,
    );
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

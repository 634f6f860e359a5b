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
  for (const name of [...Object.keys(LIST_OUTPUTS), 'drifted']) reporter.setOutput(name, '[]');
  for (const name of ['plan-digest', 'report', 'report-path']) reporter.setOutput(name, '');
}

/** GitHub refuses an output over 1 MB; some room is left for the other outputs. */
export const MAX_OUTPUT_BYTES = 900_000;

export interface Publication {
  render: RenderInput;
  /** The pull request whose sticky comment shows it; none for a run without one. */
  pullRequest?: PullRequestInfo;
}

/**
 * Everything the run shows: annotations and outputs for the reports, then the job summary (every
 * publication, in order) and each pull request's sticky comment. A summary that cannot be written warns; a
 * comment that cannot be written is a failure the run reports (`commentFailure`).
 */
export async function publish(
  publications: readonly Publication[],
  inputs: ActionInputs,
  deps: { reporter: Reporter; environment: ActionEnvironment; github?: GitHubApi },
): Promise<{ failures: string[] }> {
  const { reporter } = deps;
  const reports = publications.flatMap(({ render }) => (render.report ? [render.report] : []));
  for (const report of reports) annotate(report, reporter);
  if (reports.length > 0) await setReportOutputs(mergeReports(reports), reporter, deps.environment);
  const secrets = [inputs.smartsheetToken, inputs.githubToken].filter((s): s is string => s !== undefined);
  try {
    const share = Math.floor(SIZE_LIMITS.summary / Math.max(1, publications.length));
    const summary = publications.map(({ render }) => renderWithin(render, share)).join('\n');
    await reporter.writeSummary(redactSecrets(summary, secrets));
  } catch (error) {
    reporter.warning(`Could not write the job summary: ${errorText(error)}`);
  }
  const failures: string[] = [];
  if (!inputs.commentOnPr || !deps.github) return { failures };
  for (const { render, pullRequest: pr } of publications) {
    if (!pr) continue;
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
      const failed = commentFailure(error, pr, render, deps.environment.eventName);
      if (failed.fails) failures.push(failed.message);
      else reporter.warning(failed.message);
    }
  }
  return { failures };
}

/**
 * What a comment that could not be written means. The comment carries the reviewed-plan record and what an
 * apply did, so a failure fails the run (whose re-run writes it; nobody is deactivated twice), except the
 * read-only token GitHub gives a `pull_request` run from a fork, where the job summary is all there can be.
 */
function commentFailure(
  error: unknown,
  pr: PullRequestInfo,
  render: RenderInput,
  eventName: string,
): { fails: boolean; message: string } {
  const told = errorText(error);
  const what = `Could not comment on pull request #${pr.number}: ${told}${/[.!?]$/.test(told) ? '' : '.'}`;
  if (eventName === 'pull_request' && (error as { status?: unknown } | null)?.status === 403) {
    return { fails: false, message: `${what} The job summary has the same content.` };
  }
  const deactivated = render.report?.results.some((result) => result.outcome === 'deactivated') ?? false;
  return {
    fails: true,
    message: deactivated
      ? `${what} The deactivations are done: the job summary, the outputs and the report file list them. ` +
        'Re-run the job to bring the comment up to date; nobody is deactivated twice.'
      : `${what} The job summary has the same content; re-run the job so that the comment shows it.`,
  };
}

/** One report for the outputs of a run that applied several pull requests: their results in order. */
export function mergeReports(reports: readonly Report[]): Report {
  if (reports.length === 1) return reports[0]!;
  const summary: Report['summary'] = {};
  for (const report of reports) {
    for (const [outcome, count] of Object.entries(report.summary) as [keyof Report['summary'], number][]) {
      summary[outcome] = (summary[outcome] ?? 0) + count;
    }
  }
  const findings = reports.flatMap((report) => report.findings ?? []);
  return {
    mode: reports[0]!.mode,
    summary,
    results: reports.flatMap((report) => report.results),
    ...(findings.length > 0 ? { findings } : {}),
  };
}

/**
 * Text for a log line: a line break or `::` in text from files, Smartsheet or GitHub could otherwise start
 * a workflow command (`::warning::`, `::add-mask::`, `::stop-commands::`) on the runner.
 */
export function escapeLog(text: string): string {
  return text.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ').replace(/::/g, ':\u200b:');
}

/** The reporter with every log line escaped; annotations are escaped by `@actions/core` itself. */
export function escapingLogs(reporter: Reporter): Reporter {
  return {
    info: (message) => reporter.info(escapeLog(message)),
    notice: (message, properties) => reporter.notice(message, properties),
    warning: (message, properties) => reporter.warning(message, properties),
    error: (message, properties) => reporter.error(message, properties),
    setOutput: (name, value) => reporter.setOutput(name, value),
    writeSummary: (markdown) => reporter.writeSummary(markdown),
  };
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
  reporter.setOutput('drifted', JSON.stringify((report.drifted ?? []).map((user) => user.id)));
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

import { ConfigError, type OffboardResult, type Report, SmartsheetApiError } from '@smartsheet-offboard/core';
import { UsageError } from './errors.js';
import { EXIT_CODES } from './help.js';
import { type Colors, formatFindings, formatResultsTable, formatSummary } from './render.js';

export type Write = (text: string) => void;
export type RunMode = 'plan' | 'apply' | 'reactivate';

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The human report: findings, or the table, the summary and what to do next. */
export function printRunReport(
  mode: RunMode,
  { report, stoppedBecause }: OffboardResult,
  { colors, width, dryRun }: { colors: Colors; width: number | undefined; dryRun: boolean },
  out: Write,
): void {
  if (stoppedBecause === 'invalid') {
    printFindings(report, colors, out);
    return;
  }
  if (stoppedBecause === 'declined') {
    out('Nothing was changed.\n');
    return;
  }
  out(formatResultsTable(report.results, colors, width));
  out(formatSummary(report, colors));
  if (stoppedBecause === 'interrupted') {
    out('Nothing was changed: Ctrl-C came while planning.\n');
  } else if (stoppedBecause === 'over-limit') {
    const change = mode === 'reactivate' ? 'reactivate' : 'deactivate';
    out(
      dryRun
        ? `${mode === 'plan' ? 'apply' : mode} would refuse the whole run: the plan has more changes than --max-deactivations allows.\n`
        : `Refused: the plan has more changes than --max-deactivations allows; nobody was ${change}d.\n`,
    );
  } else if (dryRun) {
    printPlanHint(mode, report, out);
  }
}

export function printFindings(report: Report, colors: Colors, out: Write): void {
  const findings = report.findings ?? [];
  out(formatFindings(findings, colors));
  out(
    `${colors.bold(`${report.mode}:`)} ${plural(findings.length, 'problem')} in the offboarding files or options; nothing was requested from Smartsheet.\n`,
  );
}

/** After a plan (or a dry run): its digest, and the command that would carry it out. */
function printPlanHint(mode: RunMode, report: Report, out: Write): void {
  if (report.planDigest) out(`Plan digest: ${report.planDigest}\n`);
  const reactivating = mode === 'reactivate';
  const count = report.summary[reactivating ? 'would-reactivate' : 'would-deactivate'] ?? 0;
  if (count === 0) return;
  const how =
    mode === 'plan'
      ? 'Run apply with the same targets and options'
      : 'Run the same command without --dry-run';
  out(`${how} to ${reactivating ? 'reactivate' : 'deactivate'} ${plural(count, 'user')}.\n`);
}

/** Prints a failure once, in words a person can act on; the token never appears (see `redact` in main). */
export function reportFailure(error: unknown, err: Write): number {
  if (error instanceof ConfigError) {
    // offboard() says the option the way this command line names it (CLI_LABELS).
    err(`error: ${error.message}\n`);
    return EXIT_CODES.usage;
  }
  if (error instanceof UsageError) {
    err(`error: ${error.message}\n`);
    return EXIT_CODES.usage;
  }
  if (error instanceof SmartsheetApiError) {
    // An unknown refusal has no remedy of ours: Smartsheet's message is all there is to say.
    const { message, remediation } = error.info;
    err(`error: ${message}\n${remediation ? `${remediation}\n` : ''}`);
    return EXIT_CODES.problems;
  }
  err(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_CODES.problems;
}

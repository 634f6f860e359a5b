import type { Finding, Outcome, Report, ReportResult, Target, TargetSource } from '@smartsheet-offboard/core';
import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * Colours only for a terminal, and never when NO_COLOR is set (no-color.org); FORCE_COLOR turns them
 * on for a pipe. Decided from the injected environment so tests and the demo control it.
 */
export function colorsFor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): Colors {
  if (env.NO_COLOR) return picocolors.createColors(false);
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return picocolors.createColors(true);
  return picocolors.createColors(stream.isTTY === true && env.TERM !== 'dumb');
}

const OUTCOME_STYLE: Record<Outcome, keyof Colors> = {
  deactivated: 'green',
  reactivated: 'green',
  'would-deactivate': 'cyan',
  'would-reactivate': 'cyan',
  'already-deactivated': 'dim',
  'already-active': 'dim',
  blocked: 'red',
  'not-found': 'yellow',
  failed: 'magenta',
};

function paint(colors: Colors, style: keyof Colors, text: string): string {
  const format = colors[style];
  return typeof format === 'function' ? format(text) : text;
}

export function formatSource(source: TargetSource | undefined): string {
  if (!source) return '';
  return 'file' in source ? `${source.file}:${source.line}` : source.input;
}

function noteText(note: Target['note']): string {
  return [note?.ticket, note?.reason].filter(Boolean).join(' ');
}

function detail(result: ReportResult): string {
  if (result.message) return result.reason ? `${result.reason}: ${result.message}` : result.message;
  return noteText(result.note);
}

/** Columns padded to their widest cell; the last column runs free so long messages stay whole. */
function formatTable(
  header: string[],
  rows: string[][],
  colors: Colors,
  styleOf: (row: number, column: number) => keyof Colors | undefined = () => undefined,
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[], style: (column: number) => keyof Colors | undefined) =>
    cells
      .map((cell, column) => {
        const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column]!);
        const name = style(column);
        return name ? paint(colors, name, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  return [
    line(header, () => 'bold'),
    ...rows.map((row, index) => line(row, (column) => styleOf(index, column))),
  ]
    .map((text) => `${text}\n`)
    .join('');
}

/** One row per target: outcome, ID, email, where it came from, then why (or the file's note). */
export function formatResultsTable(results: readonly ReportResult[], colors: Colors): string {
  if (results.length === 0) return '';
  const rows = results.map((result) => [
    result.outcome,
    result.id ?? '-',
    result.email ?? (result.id ? '-' : result.given),
    formatSource(result.source) || '-',
    detail(result),
  ]);
  return formatTable(['OUTCOME', 'ID', 'EMAIL', 'SOURCE', 'DETAIL'], rows, colors, (row, column) =>
    column === 0 ? OUTCOME_STYLE[results[row]!.outcome] : undefined,
  );
}

/** What validate read: each target as the file named it, with the file's ticket and reason. */
export function formatTargetsTable(targets: readonly Target[], colors: Colors): string {
  if (targets.length === 0) return '';
  const rows = targets.map((target) => [
    target.id ?? '-',
    target.email ?? '-',
    formatSource(target.source) || '-',
    noteText(target.note),
  ]);
  return formatTable(['ID', 'EMAIL', 'SOURCE', 'NOTE'], rows, colors);
}

/** The final line: every outcome of the mode with its count, e.g. `apply: 3 deactivated, 1 blocked, …`. */
export function formatSummary(report: Report, colors: Colors): string {
  const counts = Object.entries(report.summary) as [Outcome, number][];
  const parts = counts.map(([outcome, count]) =>
    count > 0 ? paint(colors, OUTCOME_STYLE[outcome], `${count} ${outcome}`) : `${count} ${outcome}`,
  );
  return `${paint(colors, 'bold', `${report.mode}:`)} ${parts.length > 0 ? parts.join(', ') : 'no targets'}\n`;
}

/** File problems as `file:line[:column] code message`, the shape editors and CI logs link. */
export function formatFindings(findings: readonly Finding[], colors: Colors): string {
  return findings
    .map((finding) => {
      const where = `${finding.file}:${finding.line}${finding.column ? `:${finding.column}` : ''}`;
      return `${paint(colors, 'bold', where)} ${paint(colors, 'red', finding.code)} ${finding.message}\n`;
    })
    .join('');
}

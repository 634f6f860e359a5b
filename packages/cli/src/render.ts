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
  scheduled: 'blue',
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

function formatSource(source: TargetSource): string {
  return 'file' in source ? `${source.file}:${source.line}` : source.input;
}

function noteText(note: Target['note']): string {
  return [note?.ticket, note?.reason].filter(Boolean).join(' ');
}

function detail(result: ReportResult): string {
  if (result.message) return result.reason ? `${result.reason}: ${result.message}` : result.message;
  return noteText(result.note);
}

/** How wide a terminal is, so tables fit it; a pipe or file has no width and gets the full table. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }): number | undefined {
  return stream.isTTY === true && stream.columns ? stream.columns : undefined;
}

/** Below this many columns left for the last one, a table is unreadable: each row becomes a block. */
const MIN_DETAIL_WIDTH = 24;
/** A detail cut to this many lines on a terminal; `--json` has it whole. */
const MAX_DETAIL_LINES = 3;

/**
 * Columns padded to their widest cell. The last column (the long one) gets what the terminal has
 * left: its text wraps at spaces onto indented lines, at most `MAX_DETAIL_LINES`, so the table stays a
 * table down to narrow terminals. Only when even that leaves too little room does each row become a
 * block of `title value` lines. A pipe or file (no width) gets every line whole.
 */
function formatTable(
  header: string[],
  rows: string[][],
  colors: Colors,
  width: number | undefined,
  styleOf: (row: number, column: number) => keyof Colors | undefined = () => undefined,
): { text: string; cut: boolean } {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const styled = (text: string, name: keyof Colors | undefined) => (name ? paint(colors, name, text) : text);
  const last = header.length - 1;
  const indent = widths.slice(0, last).reduce((sum, cellWidth) => sum + cellWidth + 2, 0);
  if (width !== undefined && width - indent < MIN_DETAIL_WIDTH) {
    return { text: formatBlocks(header, rows, styled, styleOf), cut: false };
  }
  let cut = false;
  const line = (cells: string[], style: (column: number) => keyof Colors | undefined) => {
    const lead = cells
      .slice(0, last)
      .map((cell, column) => styled(cell.padEnd(widths[column]!), style(column)))
      .join('  ');
    const lastCell = cells[last]!;
    const wrapped = width === undefined ? [lastCell] : wrap(lastCell, width - indent);
    if (wrapped.length > MAX_DETAIL_LINES) {
      cut = true;
      wrapped.length = MAX_DETAIL_LINES;
      wrapped[MAX_DETAIL_LINES - 1] = `${wrapped[MAX_DETAIL_LINES - 1]!.slice(0, width! - indent - 1)}…`;
    }
    const [first = '', ...more] = wrapped;
    return [
      `${lead}  ${styled(first, style(last))}`.trimEnd(),
      ...more.map((text) => `${' '.repeat(indent)}${styled(text, style(last))}`),
    ].join('\n');
  };
  const text = [
    line(header, () => 'bold'),
    ...rows.map((row, index) => line(row, (column) => styleOf(index, column))),
  ]
    .map((text) => `${text}\n`)
    .join('');
  return { text, cut };
}

/** Words up to `width` a line; a word longer than that is split. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (current) lines.push(current);
      current = '';
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!current) current = rest;
    else if (current.length + 1 + rest.length <= width) current += ` ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

/** Each row as a block of `title value` lines, for a terminal too narrow for columns. */
function formatBlocks(
  header: string[],
  rows: string[][],
  styled: (text: string, name: keyof Colors | undefined) => string,
  styleOf: (row: number, column: number) => keyof Colors | undefined,
): string {
  const titleWidth = Math.max(...header.slice(1).map((title) => title.length));
  return rows
    .map((row, index) =>
      [
        styled(`${header[0]!.toLowerCase()}: ${row[0]!}`, styleOf(index, 0)),
        ...row
          .slice(1)
          .map((cell, column) =>
            cell && cell !== '-'
              ? `  ${header[column + 1]!.toLowerCase().padEnd(titleWidth)}  ${styled(cell, styleOf(index, column + 1))}`
              : '',
          )
          .filter(Boolean),
      ]
        .map((text) => `${text}\n`)
        .join(''),
    )
    .join('');
}

/** Said under a table whose details were cut to fit the terminal. */
const CUT_NOTE = 'Some details were cut to fit the terminal: --json prints them whole.\n';

/** One row per target: outcome, ID, email, where it came from, then why (or the file's note). */
export function formatResultsTable(results: readonly ReportResult[], colors: Colors, width?: number): string {
  if (results.length === 0) return '';
  const rows = results.map((result) => [
    result.outcome,
    result.id ?? '-',
    result.email ?? (result.id ? '-' : result.given),
    (result.sources ?? (result.source ? [result.source] : [])).map(formatSource).join(', ') || '-',
    detail(result),
  ]);
  const { text, cut } = formatTable(
    ['OUTCOME', 'ID', 'EMAIL', 'SOURCE', 'DETAIL'],
    rows,
    colors,
    width,
    (row, column) => (column === 0 ? OUTCOME_STYLE[results[row]!.outcome] : undefined),
  );
  return cut ? `${text}${CUT_NOTE}` : text;
}

/** What validate read: each target as the file named it, with the file's ticket and reason. */
export function formatTargetsTable(targets: readonly Target[], colors: Colors, width?: number): string {
  if (targets.length === 0) return '';
  const rows = targets.map((target) => [
    target.id ?? '-',
    target.email ?? '-',
    formatSource(target.source) || '-',
    noteText(target.note),
  ]);
  const { text, cut } = formatTable(['ID', 'EMAIL', 'SOURCE', 'NOTE'], rows, colors, width);
  return cut ? `${text}${CUT_NOTE}` : text;
}

/** The final line: every outcome of the mode with its count, e.g. `apply: 3 deactivated, 1 blocked, …`. */
export function formatSummary(report: Report, colors: Colors): string {
  // `scheduled` only when some target has a leave date still to come: most runs have none.
  const counts = (Object.entries(report.summary) as [Outcome, number][]).filter(
    ([outcome, count]) => outcome !== 'scheduled' || count > 0,
  );
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

import { parse as parseCsv } from 'csv-parse/sync';
import { quoteValue } from '../quote.js';
import { ENTRY_KEYS, type EntryKey, isEntryKey, type RawEntry } from './entries.js';
import type { FileFindings } from './findings.js';

/** A CSV offboarding file: a header naming id and/or email (and reason, ticket) columns, then one row per user. */
export function readCsv(text: string, findings: FileFindings): RawEntry[] {
  const { file } = findings;
  const entries: RawEntry[] = [];
  let rows: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    // Mixed line endings would confuse the parser's delimiter detection.
    rows = parseCsv(text.replace(/\r\n?/g, '\n'), {
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof rows;
  } catch (error) {
    const line =
      typeof (error as { lines?: unknown }).lines === 'number' ? (error as { lines: number }).lines : 1;
    const message = error instanceof Error ? error.message.replace(/ at line \d+.*$/, '') : String(error);
    findings.add(Math.max(1, line), 'syntax', `${file} is not valid CSV: ${message}`);
    return entries;
  }
  const [header, ...records] = rows.map((row) => ({ cells: row.record, line: csvStartLine(row) }));
  if (!header) return entries;
  const columns: (EntryKey | undefined)[] = [];
  for (const cell of header.cells) {
    const name = cell.toLowerCase();
    if (!isEntryKey(name)) {
      const hint = /[;\t]/.test(cell)
        ? '; separate columns with commas'
        : cell.includes('@') || /^\d+$/.test(cell)
          ? '; the first line must be a header such as "email" or "id,email"'
          : '';
      findings.add(
        header.line,
        'unknown-column',
        `Unknown column ${quoteValue(cell)}: allowed columns are ${ENTRY_KEYS.join(', ')}${hint}`,
      );
      columns.push(undefined);
    } else if (columns.includes(name)) {
      findings.add(
        header.line,
        'duplicate-column',
        `The column ${quoteValue(name)} appears twice in the header`,
      );
      columns.push(undefined);
    } else {
      columns.push(name);
    }
  }
  if (!columns.includes('id') && !columns.includes('email')) {
    findings.add(
      header.line,
      'missing-column',
      'The header has neither an id nor an email column: add at least one',
    );
  }
  if (findings.count > 0) return entries;
  for (const { cells, line } of records) {
    if (cells.every((cell) => cell === '')) continue;
    const entry: RawEntry = { line };
    if (cells.length > columns.length) {
      findings.add(
        line,
        'extra-cells',
        `This row has ${cells.length} cells but the header names ${columns.length} columns: quote cells that contain commas`,
      );
      entry.broken = true;
    }
    columns.forEach((column, index) => {
      const cell = cells[index];
      if (column && cell) entry[column] = cell;
    });
    entries.push(entry);
  }
  return entries;
}

/** The line a record starts on: the parser counts lines up to the record's end. */
function csvStartLine(row: { raw: string; info: { lines: number } }): number {
  const body = row.raw.replace(/^\n+/, '').replace(/\n$/, '');
  return row.info.lines - (body.match(/\n/g)?.length ?? 0);
}

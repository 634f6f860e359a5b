import { normalizeEmail } from '../emails.js';
import { parseUserId } from '../ids.js';
import { parseLeaveDate } from '../leave-dates.js';
import { quoteValue } from '../quote.js';
import type { Target } from '../types.js';
import type { FileFindings } from './findings.js';

/** The keys of an entry (YAML/JSON) and the columns of a CSV header. */
export const ENTRY_KEYS = ['id', 'email', 'reason', 'ticket', 'deactivate-on'] as const;
export type EntryKey = (typeof ENTRY_KEYS)[number];

/** The keys at the top of a YAML or JSON file. */
export const TOP_LEVEL_KEYS = ['users', 'deactivate-on'] as const;

/** One entry as read from a file, before its ID and email are checked. */
export interface RawEntry {
  line: number;
  id?: string;
  email?: string;
  reason?: string;
  ticket?: string;
  'deactivate-on'?: string;
  /** Already has a finding (unknown key, wrong shape): reported, never a target. */
  broken?: boolean;
  /** The line of each value, where it differs from the entry's: a finding points at the bad value. */
  valueLines?: Partial<Record<EntryKey, number>>;
}

/** What a file sets for all its entries (YAML/JSON top level), with the line it is set on. */
export interface FileDefaults {
  deactivateOn?: { value: string; line: number };
}

/**
 * Reads one format: the entries as written, with a finding for everything that is not an entry. Formats
 * with a top level (YAML, JSON) record the file's defaults in `defaults`.
 */
export type Reader = (text: string, findings: FileFindings, defaults: FileDefaults) => RawEntry[];

export interface EntryContext {
  csv: boolean;
  defaults: FileDefaults;
  /** Bounds how far ahead a leave date may be. */
  now: Date;
}

/** Checks each entry's ID, email, notes and leave date; entries with a problem get a finding and are not targets. */
export function entriesToTargets(
  entries: readonly RawEntry[],
  findings: FileFindings,
  { csv, defaults, now }: EntryContext,
): Target[] {
  const { file } = findings;
  const targets: Target[] = [];
  // The file's default is checked once, on its own line; an entry's own date replaces it.
  let defaultLeave: string | undefined;
  if (defaults.deactivateOn !== undefined) {
    const parsed = parseLeaveDate(defaults.deactivateOn.value, now);
    if (parsed.ok) defaultLeave = parsed.value;
    else findings.add(defaults.deactivateOn.line, 'invalid-date', parsed.problem);
  }
  for (const entry of entries) {
    const { line } = entry;
    const lineOf = (key: EntryKey) => entry.valueLines?.[key] ?? line;
    let valid = !entry.broken;
    if (entry.id === undefined && entry.email === undefined) {
      if (!entry.broken) {
        findings.add(
          line,
          'missing-id-or-email',
          'This entry has neither an id nor an email: give at least one',
        );
      }
      continue;
    }
    const target: Target = { given: (entry.id ?? entry.email)!, source: { file, line } };
    for (const [key, value] of [
      ['id', entry.id],
      ['email', entry.email],
    ] as const) {
      if (value === undefined) continue;
      if (csv && looksLikeFormula(value)) {
        findings.add(
          lineOf(key),
          'formula-cell',
          `The ${key} cell ${quoteValue(value)} starts like a spreadsheet formula (=, +, -, @); write the ${key} alone`,
        );
        valid = false;
        continue;
      }
      const parsed = key === 'id' ? parseUserId(value) : normalizeEmail(value);
      if (!parsed.ok) {
        findings.add(lineOf(key), `malformed-${key}`, parsed.problem);
        valid = false;
      } else if (typeof parsed.value === 'string') target.id = parsed.value;
      else target.email = parsed.value.email;
    }
    for (const key of ['reason', 'ticket'] as const) {
      const problem = entry[key] === undefined ? undefined : noteProblem(entry[key]);
      if (problem) {
        findings.add(lineOf(key), 'invalid-note', `The ${key} ${problem}`);
        valid = false;
      }
    }
    const ownLeave = entry['deactivate-on'];
    if (ownLeave !== undefined) {
      const parsed = parseLeaveDate(ownLeave, now);
      if (parsed.ok) target.deactivateOn = parsed.value;
      else {
        findings.add(line, 'invalid-date', parsed.problem);
        valid = false;
      }
    } else if (defaultLeave !== undefined) target.deactivateOn = defaultLeave;
    const note = {
      ...(entry.reason !== undefined && { reason: csv ? neutralizeFormula(entry.reason) : entry.reason }),
      ...(entry.ticket !== undefined && { ticket: csv ? neutralizeFormula(entry.ticket) : entry.ticket }),
    };
    if (Object.keys(note).length > 0) target.note = note;
    if (valid) targets.push(target);
  }
  return targets;
}

/** Longest reason or ticket: free text for a report line, not a document. */
const MAX_NOTE_LENGTH = 500;

/**
 * Reasons and tickets are shown to reviewers in pull-request comments: control and text-direction
 * characters could make one display as something other than what it holds.
 */
function noteProblem(text: string): string | undefined {
  if (text.length > MAX_NOTE_LENGTH)
    return `is ${text.length} characters long, over the limit of ${MAX_NOTE_LENGTH}`;
  const hidden = /[\u0000-\u0008\u000b-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.exec(text)?.[0];
  if (hidden === undefined) return undefined;
  const code = `U+${hidden.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `${quoteValue(text)} contains an invisible control or text-direction character (${code}): remove it`;
}

// Cells a spreadsheet would run as a formula (OWASP "CSV injection").
function looksLikeFormula(cell: string): boolean {
  return /^[=+\-@\t\r]/.test(cell);
}

/** Free text is kept, but a leading `'` makes a spreadsheet that opens the report show it as text. */
function neutralizeFormula(cell: string): string {
  return looksLikeFormula(cell) ? `'${cell}` : cell;
}

/** A bare entry: an ID if it reads like a number, an email if it has an `@`. */
export function bareEntry(line: number, text: string, findings: FileFindings): RawEntry {
  if (text.includes('@')) return { line, email: text };
  if (/^[+-]?[0-9.]/.test(text)) return { line, id: text };
  findings.add(
    line,
    'malformed-entry',
    `${quoteValue(text)} is neither a user ID (digits only) nor an email`,
  );
  return { line, broken: true };
}

export function unknownKeyMessage(key: string, where: string): string {
  return `Unknown key ${quoteValue(key)} ${where}: allowed keys are ${ENTRY_KEYS.join(', ')}`;
}

export function isEntryKey(key: string): key is EntryKey {
  return (ENTRY_KEYS as readonly string[]).includes(key);
}

import { quoteValue } from '../quote.js';
import { bareEntry, type RawEntry } from './entries.js';
import type { FileFindings } from './findings.js';

/** A plain-text offboarding file: one ID or email per line; `#` starts a comment. */
export function readText(text: string, findings: FileFindings): RawEntry[] {
  const entries: RawEntry[] = [];
  text.split(/\r\n|\r|\n/).forEach((rawLine, index) => {
    const line = index + 1;
    const value = rawLine.replace(/#.*$/, '').trim();
    if (value === '') return;
    if (/\s/.test(value)) {
      findings.add(
        line,
        'malformed-entry',
        `${quoteValue(value)} holds more than one value: write one ID or email per line`,
      );
      entries.push({ line, broken: true });
      return;
    }
    entries.push(bareEntry(line, value, findings));
  });
  return entries;
}

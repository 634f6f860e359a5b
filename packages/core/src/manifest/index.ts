import { quoteValue } from '../quote.js';
import type { Finding, Target } from '../types.js';
import { readCsv } from './csv.js';
import { entriesToTargets, type FileDefaults, type Reader } from './entries.js';
import { FileFindings } from './findings.js';
import { readJson } from './json.js';
import { MANIFEST_LIMITS } from './limits.js';
import { findRepeats } from './repeats.js';
import { readText } from './text.js';
import { readYaml } from './yaml.js';

export { targetsFromInputs } from './inputs.js';
export { MANIFEST_LIMITS } from './limits.js';
export { crossCheckTargets } from './repeats.js';

/** The extensions an offboarding file may have; the format follows from the extension. */
export const OFFBOARDING_FILE_EXTENSIONS = ['.yml', '.yaml', '.json', '.csv', '.txt'] as const;

export interface ParsedTargets {
  targets: Target[];
  findings: Finding[];
}

const READERS: Record<(typeof OFFBOARDING_FILE_EXTENSIONS)[number], Reader> = {
  '.yml': readYaml,
  '.yaml': readYaml,
  '.json': readJson,
  '.csv': readCsv,
  '.txt': readText,
};

export interface ParseOptions {
  /** The moment a leave date (`deactivate-on`) may be at most two years ahead of (default: the clock). */
  now?: Date;
}

/** Parses one offboarding file (format from its extension: yml/yaml/json/csv/txt). Never throws on bad content. */
export function parseOffboardingFile(
  file: string,
  content: string | Uint8Array,
  options: ParseOptions = {},
): ParsedTargets {
  const findings = new FileFindings(file);
  const refused = (): ParsedTargets => ({ targets: [], findings: findings.list });
  const extension = /\.[^./\\]+$/.exec(file)?.[0].toLowerCase() ?? '';
  const reader = READERS[extension as keyof typeof READERS];
  if (!reader) {
    findings.add(
      1,
      'unsupported-format',
      `${file} is not an offboarding file format: ${extension ? `${quoteValue(extension)} files are` : 'a file without an extension is'} not read; use ${OFFBOARDING_FILE_EXTENSIONS.join(', ')}`,
    );
    return refused();
  }
  // Bytes are counted before any decoding or parsing, so an oversized file costs nothing.
  const bytes = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
  if (bytes > MANIFEST_LIMITS.maxBytes) {
    findings.add(
      1,
      'file-too-large',
      // Callers may pass only the first bytes past the limit, so the message gives no total.
      `${file} is larger than the limit of ${MANIFEST_LIMITS.maxBytes} bytes (5 MiB): split it into several files`,
    );
    return refused();
  }
  let text: string;
  try {
    text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    findings.add(1, 'not-utf8', `${file} is not UTF-8 text: save it as UTF-8`);
    return refused();
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    findings.add(1, 'no-entries', `${file} is empty: list at least one user`);
    return refused();
  }

  const defaults: FileDefaults = {};
  const entries = reader(text, findings, defaults);
  const targets = entriesToTargets(entries, findings, {
    csv: extension === '.csv',
    defaults,
    now: options.now ?? new Date(),
  });
  if (entries.length > MANIFEST_LIMITS.maxEntries) {
    findings.add(
      entries[MANIFEST_LIMITS.maxEntries]!.line,
      'too-many-entries',
      `${file} lists ${entries.length} users, over the limit of ${MANIFEST_LIMITS.maxEntries} per file: split it into several files`,
    );
  } else if (entries.length === 0 && findings.count === 0) {
    findings.add(1, 'no-entries', `${file} lists no users: list at least one user`);
  }
  const repeats = findRepeats(targets);
  return {
    targets: targets.filter((target) => !repeats.repeated.has(target)),
    findings: capFindings(findings, repeats.findings),
  };
}

/** All findings of the file in line order, the first `maxFindings` of them and a line saying how many more. */
function capFindings(findings: FileFindings, repeats: readonly Finding[]): Finding[] {
  const all = [...findings.list, ...repeats].sort((a, b) => a.line - b.line);
  if (all.length <= MANIFEST_LIMITS.maxFindings) return all;
  const kept = new FileFindings(findings.file);
  kept.list.push(...all.slice(0, MANIFEST_LIMITS.maxFindings));
  kept.add(
    all[MANIFEST_LIMITS.maxFindings]!.line,
    'too-many-findings',
    `${all.length - MANIFEST_LIMITS.maxFindings} more problems from here on are not listed: fix the ones above and validate again`,
  );
  return kept.list;
}

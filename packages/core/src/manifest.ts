import { parse as parseCsv } from 'csv-parse/sync';
import { isLosslessNumber, parse as parseJson } from 'lossless-json';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { normalizeEmail } from './emails.js';
import { parseUserId } from './ids.js';
import { closingQuote } from './json.js';
import { quoteValue } from './quote.js';
import type { Finding, Target, TargetSource } from './types.js';

/**
 * Bounds on one offboarding file. `maxDepth` bounds JSON nesting before parsing (a deep file would
 * overflow the parser's stack); `maxFindings` keeps a garbage file from flooding a pull request.
 */
export const MANIFEST_LIMITS = {
  maxEntries: 10_000,
  maxBytes: 5 * 1024 * 1024,
  maxDepth: 32,
  maxFindings: 200,
} as const;

/** The extensions an offboarding file may have; the format follows from the extension. */
export const OFFBOARDING_FILE_EXTENSIONS = ['.yml', '.yaml', '.json', '.csv', '.txt'] as const;

/** The keys of an entry (YAML/JSON) and the columns of a CSV header. */
const ENTRY_KEYS = ['id', 'email', 'reason', 'ticket'] as const;
type EntryKey = (typeof ENTRY_KEYS)[number];

export interface ParsedTargets {
  targets: Target[];
  findings: Finding[];
}

/** One entry as read from a file, before its ID and email are checked. */
interface RawEntry {
  line: number;
  id?: string;
  email?: string;
  reason?: string;
  ticket?: string;
  /** Already has a finding (unknown key, wrong shape): reported, never a target. */
  broken?: boolean;
}

interface FormatResult {
  entries: RawEntry[];
  findings: Finding[];
}

type Reader = (file: string, text: string) => FormatResult;

const READERS: Record<(typeof OFFBOARDING_FILE_EXTENSIONS)[number], Reader> = {
  '.yml': readYaml,
  '.yaml': readYaml,
  '.json': readJson,
  '.csv': readCsv,
  '.txt': readText,
};

/** Parses one offboarding file (format from its extension: yml/yaml/json/csv/txt). Never throws on bad content. */
export function parseOffboardingFile(file: string, content: string | Uint8Array): ParsedTargets {
  const fileFinding = (code: string, message: string): ParsedTargets => ({
    targets: [],
    findings: [{ file, line: 1, code, message }],
  });
  const extension = /\.[^./\\]+$/.exec(file)?.[0].toLowerCase() ?? '';
  const reader = READERS[extension as keyof typeof READERS];
  if (!reader) {
    return fileFinding(
      'unsupported-format',
      `${file} is not an offboarding file format: ${extension ? `${quoteValue(extension)} files are` : 'a file without an extension is'} not read; use ${OFFBOARDING_FILE_EXTENSIONS.join(', ')}`,
    );
  }
  // Bytes are counted before any decoding or parsing, so an oversized file costs nothing.
  const bytes = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
  if (bytes > MANIFEST_LIMITS.maxBytes) {
    return fileFinding(
      'file-too-large',
      // Callers may pass only the first bytes past the limit, so the message gives no total.
      `${file} is larger than the limit of ${MANIFEST_LIMITS.maxBytes} bytes (5 MiB): split it into several files`,
    );
  }
  let text: string;
  try {
    text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return fileFinding('not-utf8', `${file} is not UTF-8 text: save it as UTF-8`);
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return fileFinding('no-entries', `${file} is empty: list at least one user`);

  const { entries, findings } = reader(file, text);
  const targets = entriesToTargets(file, entries, findings, extension === '.csv');
  if (entries.length > MANIFEST_LIMITS.maxEntries) {
    findings.push({
      file,
      line: entries[MANIFEST_LIMITS.maxEntries]!.line,
      code: 'too-many-entries',
      message: `${file} lists ${entries.length} users, over the limit of ${MANIFEST_LIMITS.maxEntries} per file: split it into several files`,
    });
  } else if (entries.length === 0 && findings.length === 0) {
    findings.push({
      file,
      line: 1,
      code: 'no-entries',
      message: `${file} lists no users: list at least one user`,
    });
  }
  const repeats = findRepeats(targets);
  findings.push(...repeats.findings);
  return {
    targets: targets.filter((target) => !repeats.repeated.has(target)),
    findings: capFindings(file, findings),
  };
}

/** Targets given directly (action inputs, CLI options); `names` label them in findings. */
export function targetsFromInputs(
  input: { userIds?: readonly string[]; emails?: readonly string[] },
  names: { userIds: string; emails: string } = { userIds: 'user-ids', emails: 'emails' },
): ParsedTargets {
  const targets: Target[] = [];
  const findings: Finding[] = [];
  const read = (values: readonly string[] | undefined, name: string, kind: 'id' | 'email') => {
    let position = 0;
    for (const piece of (values ?? []).flatMap((value) => value.split(/[,\r\n]/))) {
      const given = piece.trim();
      if (given === '') continue;
      position += 1;
      const parsed = kind === 'id' ? parseUserId(given) : normalizeEmail(given);
      if (!parsed.ok) {
        const message = inputHint(parsed.problem, given, kind, names);
        findings.push({ file: name, line: position, code: `malformed-${kind}`, message });
        continue;
      }
      const source: TargetSource = { input: name, position };
      targets.push(
        typeof parsed.value === 'string'
          ? { id: parsed.value, given, source }
          : { email: parsed.value.email, given, source },
      );
    }
  };
  read(input.userIds, names.userIds, 'id');
  read(input.emails, names.emails, 'email');
  const repeats = findRepeats(targets);
  return {
    targets: targets.filter((target) => !repeats.repeated.has(target)),
    findings: [...findings, ...repeats.findings],
  };
}

/**
 * Problems across all loaded targets: the same person twice, an ID given with two different emails
 * (or an email with two IDs). Each finding sits at the second place and names the first.
 */
export function crossCheckTargets(targets: readonly Target[]): Finding[] {
  return findRepeats(targets).findings;
}

function inputHint(
  problem: string,
  given: string,
  kind: 'id' | 'email',
  names: { userIds: string; emails: string },
) {
  if (kind === 'id' && given.includes('@')) return `${problem}; give emails in ${names.emails}`;
  if (kind === 'email' && /^\d+$/.test(given)) return `${problem}; give user IDs in ${names.userIds}`;
  return problem;
}

function findRepeats(targets: readonly Target[]): { findings: Finding[]; repeated: Set<Target> } {
  const byId = new Map<string, Target>();
  const byEmail = new Map<string, Target>();
  const findings: Finding[] = [];
  const repeated = new Set<Target>();
  for (const target of targets) {
    const sameId = target.id === undefined ? undefined : byId.get(target.id);
    const sameEmail = target.email === undefined ? undefined : byEmail.get(target.email);
    const first = sameId ?? sameEmail;
    if (!first) {
      if (target.id !== undefined) byId.set(target.id, target);
      if (target.email !== undefined) byEmail.set(target.email, target);
      continue;
    }
    repeated.add(target);
    const where = describeSource(first.source, target.source);
    let code = 'duplicate';
    let message = `${quoteValue(target.given)} names a user already listed (${quoteValue(first.given)} at ${where}): list each user once`;
    if (sameId?.email && target.email && sameId.email !== target.email) {
      code = 'conflict';
      message = `User ID ${target.id} is given here with the email ${target.email} but with ${sameId.email} at ${where}: one ID is one person; fix the ID or the email`;
    } else if (sameEmail?.id && target.id && sameEmail.id !== target.id) {
      code = 'conflict';
      message = `${target.email} is given here with the user ID ${target.id} but with ${sameEmail.id} at ${where}: one email is one person; fix the ID or the email`;
    }
    findings.push({ ...locate(target.source), code, message });
  }
  return { findings, repeated };
}

function locate(source: TargetSource): { file: string; line: number } {
  return 'file' in source ? source : { file: source.input, line: source.position ?? 1 };
}

function describeSource(source: TargetSource, from: TargetSource): string {
  const { file, line } = locate(source);
  const sameFile = locate(from).file === file;
  if ('input' in source) return `${sameFile ? '' : `${file} `}position ${line}`;
  return `${sameFile ? '' : `${file} `}line ${line}`;
}

function entriesToTargets(
  file: string,
  entries: readonly RawEntry[],
  findings: Finding[],
  csv: boolean,
): Target[] {
  const targets: Target[] = [];
  for (const entry of entries) {
    const { line } = entry;
    let valid = !entry.broken;
    if (entry.id === undefined && entry.email === undefined) {
      if (!entry.broken) {
        findings.push({
          file,
          line,
          code: 'missing-id-or-email',
          message: 'This entry has neither an id nor an email: give at least one',
        });
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
        findings.push({
          file,
          line,
          code: 'formula-cell',
          message: `The ${key} cell ${quoteValue(value)} starts like a spreadsheet formula (=, +, -, @); write the ${key} alone`,
        });
        valid = false;
        continue;
      }
      const parsed = key === 'id' ? parseUserId(value) : normalizeEmail(value);
      if (!parsed.ok) {
        findings.push({ file, line, code: `malformed-${key}`, message: parsed.problem });
        valid = false;
      } else if (typeof parsed.value === 'string') target.id = parsed.value;
      else target.email = parsed.value.email;
    }
    for (const key of ['reason', 'ticket'] as const) {
      const problem = entry[key] === undefined ? undefined : noteProblem(entry[key]);
      if (problem) {
        findings.push({ file, line, code: 'invalid-note', message: `The ${key} ${problem}` });
        valid = false;
      }
    }
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
function bareEntry(file: string, line: number, text: string, findings: Finding[]): RawEntry {
  if (text.includes('@')) return { line, email: text };
  if (/^[+-]?[0-9.]/.test(text)) return { line, id: text };
  findings.push({
    file,
    line,
    code: 'malformed-entry',
    message: `${quoteValue(text)} is neither a user ID (digits only) nor an email`,
  });
  return { line, broken: true };
}

function unknownKeyMessage(key: string, where: string): string {
  return `Unknown key ${quoteValue(key)} ${where}: allowed keys are ${ENTRY_KEYS.join(', ')}`;
}

function isEntryKey(key: string): key is EntryKey {
  return (ENTRY_KEYS as readonly string[]).includes(key);
}

function capFindings(file: string, findings: Finding[]): Finding[] {
  findings.sort((a, b) => a.line - b.line);
  if (findings.length <= MANIFEST_LIMITS.maxFindings) return findings;
  const kept = findings.slice(0, MANIFEST_LIMITS.maxFindings);
  const more = findings.length - kept.length;
  kept.push({
    file,
    line: findings[kept.length]!.line,
    code: 'too-many-findings',
    message: `${more} more problems from here on are not listed: fix the ones above and validate again`,
  });
  return kept;
}

// ---------------------------------------------------------------------------------------------------
// YAML

function readYaml(file: string, text: string): FormatResult {
  const findings: Finding[] = [];
  const entries: RawEntry[] = [];
  const lineCounter = new LineCounter();
  // Aliases are refused below and the document is never converted with toJS, so an alias bomb
  // ("billion laughs") is never expanded.
  const doc = parseDocument(text, {
    lineCounter,
    intAsBigInt: true,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  let tooDeep = false;
  for (const problem of [...doc.errors, ...doc.warnings]) {
    const line = lineOf(problem.pos[0]);
    const detail = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    if (problem.code === 'RESOURCE_EXHAUSTION') {
      if (!tooDeep)
        findings.push({
          file,
          line,
          code: 'too-deep',
          message: `${file} is nested too deeply to read: an offboarding file is a flat list of users`,
        });
      tooDeep = true;
    } else if (problem.code === 'DUPLICATE_KEY') {
      findings.push({
        file,
        line,
        code: 'duplicate-key',
        message: `A key appears twice in the same mapping: ${detail}`,
      });
    } else {
      findings.push({ file, line, code: 'syntax', message: `${file} is not valid YAML: ${detail}` });
    }
  }
  if (findings.length > 0) return { entries, findings };

  visit(doc, {
    Alias(_key, node) {
      findings.push({
        file,
        line: lineOf(node.range?.[0] ?? 0),
        code: 'alias',
        message: `YAML aliases (*${node.source}) are not allowed in offboarding files: write each entry out`,
      });
    },
  });
  if (findings.length > 0) return { entries, findings };

  const root = doc.contents;
  if (root === null) return { entries, findings }; // only comments: reported as listing no users
  const shape = (node: Node | null | undefined, message: string) =>
    findings.push({ file, line: lineOf(node?.range?.[0] ?? 0), code: 'invalid-shape', message });
  if (!isMap(root)) {
    shape(root, `${file} must be a mapping with a "users:" list at the top`);
    return { entries, findings };
  }
  let users: Node | null | undefined;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === 'users') users = pair.value as Node | null;
    else {
      findings.push({
        file,
        line: lineOf((pair.key as Node | null)?.range?.[0] ?? 0),
        code: 'unknown-key',
        message: `Unknown key ${quoteValue(key ?? String(pair.key))} at the top of the file: the only key allowed is users`,
      });
    }
  }
  if (users === undefined) {
    if (findings.length === 0) shape(root, `${file} has no "users:" list`);
    return { entries, findings };
  }
  if (users === null || (isScalar(users) && users.value === null)) return { entries, findings };
  if (!isSeq(users)) {
    shape(users, '"users:" must be a list of entries (lines starting with "- ")');
    return { entries, findings };
  }
  for (const item of users.items as (Node | null)[]) {
    const line = lineOf(item?.range?.[0] ?? 0);
    if (isScalar(item)) {
      const text = yamlScalarText(item);
      if (text === undefined || text === '')
        shape(item, 'This entry is empty: give an email, an ID or a mapping with id/email');
      else entries.push(bareEntry(file, line, text, findings));
    } else if (isMap(item)) {
      const entry: RawEntry = { line };
      for (const pair of item.items) {
        const keyNode = pair.key as Node | null;
        const valueNode = pair.value as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        const keyLine = lineOf(keyNode?.range?.[0] ?? item.range?.[0] ?? 0);
        if (key === undefined || !isEntryKey(key)) {
          findings.push({
            file,
            line: keyLine,
            code: 'unknown-key',
            message: unknownKeyMessage(key ?? String(keyNode), 'in this entry'),
          });
          entry.broken = true;
        } else if (valueNode === null || (isScalar(valueNode) && valueNode.value === null)) {
          if (key === 'id' || key === 'email') {
            findings.push({
              file,
              line: keyLine,
              code: 'invalid-value',
              message: `The ${key} of this entry is empty`,
            });
            entry.broken = true;
          }
        } else if (!isScalar(valueNode)) {
          findings.push({
            file,
            line: keyLine,
            code: 'invalid-value',
            message: `The ${key} of this entry must be a single value, not a list or mapping`,
          });
          entry.broken = true;
        } else {
          entry[key] = yamlScalarText(valueNode);
        }
      }
      entries.push(entry);
    } else {
      shape(
        item,
        'Each entry must be an email, an ID or a mapping with id/email (and optional reason, ticket)',
      );
      entries.push({ line, broken: true });
    }
  }
  return { entries, findings };
}

/**
 * The text of a scalar as written: plain scalars keep their source so `0x10`, `1e5` and `+5` are
 * refused as IDs instead of silently becoming 16, 100000 and 5.
 */
function yamlScalarText(node: import('yaml').Scalar): string | undefined {
  if (node.value === null || node.value === undefined) return undefined;
  if (node.type === 'PLAIN' && node.source !== undefined) return node.source;
  return String(node.value);
}

// ---------------------------------------------------------------------------------------------------
// JSON

function readJson(file: string, text: string): FormatResult {
  const findings: Finding[] = [];
  const entries: RawEntry[] = [];
  const lines = lineLocator(text);
  const layout = scanJson(text, MANIFEST_LIMITS.maxDepth);
  if (layout.tooDeepAt !== undefined) {
    findings.push({
      file,
      line: lines(layout.tooDeepAt),
      code: 'too-deep',
      message: `${file} is nested more than ${MANIFEST_LIMITS.maxDepth} levels deep: an offboarding file is a flat list of users`,
    });
    return { entries, findings };
  }
  // lossless-json keeps the last of two equal keys silently (and throws on unequal ones); the scan saw
  // every key, so repeated keys are reported from it.
  for (const { key, offset } of layout.duplicateKeys) {
    findings.push({
      file,
      line: lines(offset),
      code: 'duplicate-key',
      message: `The key ${quoteValue(key)} appears twice in the same object`,
    });
  }
  let root: unknown;
  try {
    root = parseJson(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/^Duplicate key/.test(message) && layout.duplicateKeys.length > 0) return { entries, findings };
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    // Keys the scan saw in text that is not JSON are not worth reporting: the syntax error is.
    return {
      entries,
      findings: [
        { file, line: lines(offset), code: 'syntax', message: `${file} is not valid JSON: ${message}` },
      ],
    };
  }
  const lineAt = (...path: (string | number)[]) => lines(layout.positions.get(pathKey(path)) ?? 0);
  if (!isPlainObject(root)) {
    findings.push({
      file,
      line: 1,
      code: 'invalid-shape',
      message: `${file} must be an object with a "users" array`,
    });
    return { entries, findings };
  }
  for (const key of Object.keys(root)) {
    if (key !== 'users') {
      findings.push({
        file,
        line: lineAt(key),
        code: 'unknown-key',
        message: `Unknown key ${quoteValue(key)} at the top of the file: the only key allowed is users`,
      });
    }
  }
  if (!Object.hasOwn(root, 'users')) {
    if (findings.length === 0)
      findings.push({ file, line: 1, code: 'invalid-shape', message: `${file} has no "users" array` });
    return { entries, findings };
  }
  const users = root['users'];
  if (!Array.isArray(users)) {
    findings.push({
      file,
      line: lineAt('users'),
      code: 'invalid-shape',
      message: '"users" must be an array of entries',
    });
    return { entries, findings };
  }
  users.forEach((item: unknown, index) => {
    const line = lineAt('users', index);
    const text = jsonScalarText(item);
    if (typeof text === 'string') {
      if (text === '')
        findings.push({
          file,
          line,
          code: 'invalid-shape',
          message: 'This entry is empty: give an email, an ID or an object with id/email',
        });
      else entries.push(bareEntry(file, line, text, findings));
      return;
    }
    if (!isPlainObject(item)) {
      findings.push({
        file,
        line,
        code: 'invalid-shape',
        message:
          'Each entry must be an email, an ID or an object with id/email (and optional reason, ticket)',
      });
      entries.push({ line, broken: true });
      return;
    }
    const entry: RawEntry = { line };
    for (const [key, value] of Object.entries(item)) {
      const keyLine = lineAt('users', index, key);
      if (!isEntryKey(key)) {
        findings.push({
          file,
          line: keyLine,
          code: 'unknown-key',
          message: unknownKeyMessage(key, 'in this entry'),
        });
        entry.broken = true;
        continue;
      }
      const valueText = jsonScalarText(value);
      if (value === null && key !== 'id' && key !== 'email') continue;
      if (valueText === undefined) {
        findings.push({
          file,
          line: keyLine,
          code: 'invalid-value',
          message: `The ${key} of this entry must be a string${key === 'id' ? ' or a number' : ''}`,
        });
        entry.broken = true;
      } else {
        entry[key] = valueText;
      }
    }
    entries.push(entry);
  });
  return { entries, findings };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);
}

/** A JSON string or number as written (numbers keep every digit); anything else is not a scalar entry. */
function jsonScalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isLosslessNumber(value)) return value.value;
  return undefined;
}

function pathKey(path: readonly (string | number)[]): string {
  return path.join('\u0000');
}

interface JsonLayout {
  /** Offsets of array elements and object keys (by path), for line numbers. */
  positions: Map<string, number>;
  duplicateKeys: { key: string; offset: number }[];
  tooDeepAt?: number;
}

/**
 * One iterative pass over JSON text: nesting depth (checked before the recursive parser runs), where
 * each entry and key starts, and repeated keys. Only meaningful for text that then parses as JSON.
 */
function scanJson(text: string, maxDepth: number): JsonLayout {
  interface Frame {
    kind: 'object' | 'array';
    path: (string | number)[];
    index: number;
    keys: Set<string>;
    key?: string;
  }
  const positions = new Map<string, number>();
  const duplicateKeys: JsonLayout['duplicateKeys'] = [];
  const stack: Frame[] = [];
  const valueStarts = (offset: number): (string | number)[] => {
    const top = stack.at(-1);
    if (!top) return [];
    if (top.kind === 'object') return [...top.path, top.key ?? ''];
    const path = [...top.path, top.index];
    positions.set(pathKey(path), offset);
    return path;
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') {
      const end = stringEnd(text, i);
      const top = stack.at(-1);
      if (top?.kind === 'object' && top.key === undefined) {
        const literal = text.slice(i, end);
        let key: string;
        try {
          key = JSON.parse(literal) as string;
        } catch {
          key = literal;
        }
        if (top.keys.has(key)) duplicateKeys.push({ key, offset: i });
        top.keys.add(key);
        top.key = key;
        positions.set(pathKey([...top.path, key]), i);
      } else {
        valueStarts(i);
      }
      i = end;
    } else if (char === '{' || char === '[') {
      const path = valueStarts(i);
      stack.push({ kind: char === '{' ? 'object' : 'array', path, index: 0, keys: new Set() });
      if (stack.length > maxDepth) return { positions, duplicateKeys, tooDeepAt: i };
      i += 1;
    } else if (char === '}' || char === ']') {
      stack.pop();
      i += 1;
    } else if (char === ',') {
      const top = stack.at(-1);
      if (top?.kind === 'array') top.index += 1;
      else if (top) top.key = undefined;
      i += 1;
    } else if (char === ':' || /\s/.test(char)) {
      i += 1;
    } else {
      valueStarts(i);
      while (i < text.length && !/[\s,:\]}"]/.test(text[i]!)) i += 1;
    }
  }
  return { positions, duplicateKeys };
}

/** The index just past the closing quote of the string starting at `start` (or the end of the text). */
function stringEnd(text: string, start: number): number {
  const close = closingQuote(text, start);
  return close === -1 ? text.length : close + 1;
}

/** Maps an offset in `text` to its 1-based line. */
function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

// ---------------------------------------------------------------------------------------------------
// CSV

function readCsv(file: string, text: string): FormatResult {
  const findings: Finding[] = [];
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
    findings.push({
      file,
      line: Math.max(1, line),
      code: 'syntax',
      message: `${file} is not valid CSV: ${message}`,
    });
    return { entries, findings };
  }
  const [header, ...records] = rows.map((row) => ({ cells: row.record, line: csvStartLine(row) }));
  if (!header) return { entries, findings };
  const columns: (EntryKey | undefined)[] = [];
  for (const cell of header.cells) {
    const name = cell.toLowerCase();
    if (!isEntryKey(name)) {
      const hint = /[;\t]/.test(cell)
        ? '; separate columns with commas'
        : cell.includes('@') || /^\d+$/.test(cell)
          ? '; the first line must be a header such as "email" or "id,email"'
          : '';
      findings.push({
        file,
        line: header.line,
        code: 'unknown-column',
        message: `Unknown column ${quoteValue(cell)}: allowed columns are ${ENTRY_KEYS.join(', ')}${hint}`,
      });
      columns.push(undefined);
    } else if (columns.includes(name)) {
      findings.push({
        file,
        line: header.line,
        code: 'duplicate-column',
        message: `The column ${quoteValue(name)} appears twice in the header`,
      });
      columns.push(undefined);
    } else {
      columns.push(name);
    }
  }
  if (!columns.includes('id') && !columns.includes('email')) {
    findings.push({
      file,
      line: header.line,
      code: 'missing-column',
      message: 'The header has neither an id nor an email column: add at least one',
    });
  }
  if (findings.length > 0) return { entries, findings };
  for (const { cells, line } of records) {
    if (cells.every((cell) => cell === '')) continue;
    const entry: RawEntry = { line };
    if (cells.length > columns.length) {
      findings.push({
        file,
        line,
        code: 'extra-cells',
        message: `This row has ${cells.length} cells but the header names ${columns.length} columns: quote cells that contain commas`,
      });
      entry.broken = true;
    }
    columns.forEach((column, index) => {
      const cell = cells[index];
      if (column && cell) entry[column] = cell;
    });
    entries.push(entry);
  }
  return { entries, findings };
}

/** The line a record starts on: the parser counts lines up to the record's end. */
function csvStartLine(row: { raw: string; info: { lines: number } }): number {
  const body = row.raw.replace(/^\n+/, '').replace(/\n$/, '');
  return row.info.lines - (body.match(/\n/g)?.length ?? 0);
}

// ---------------------------------------------------------------------------------------------------
// Plain text

function readText(file: string, text: string): FormatResult {
  const findings: Finding[] = [];
  const entries: RawEntry[] = [];
  text.split(/\r\n|\r|\n/).forEach((rawLine, index) => {
    const line = index + 1;
    const value = rawLine.replace(/#.*$/, '').trim();
    if (value === '') return;
    if (/\s/.test(value)) {
      findings.push({
        file,
        line,
        code: 'malformed-entry',
        message: `${quoteValue(value)} holds more than one value: write one ID or email per line`,
      });
      entries.push({ line, broken: true });
      return;
    }
    entries.push(bareEntry(file, line, value, findings));
  });
  return { entries, findings };
}

import { isLosslessNumber, parse as parseJson } from 'lossless-json';
import { quoteValue } from '../quote.js';
import { closingQuote } from '../response-body.js';
import {
  bareEntry,
  type FileDefaults,
  isEntryKey,
  type RawEntry,
  TOP_LEVEL_KEYS,
  unknownKeyMessage,
} from './entries.js';
import type { FileFindings } from './findings.js';
import { MANIFEST_LIMITS } from './limits.js';

/** A JSON offboarding file: an object with a `users` array of emails, IDs or id/email objects, and optionally `deactivate-on`, the default leave date. */
export function readJson(text: string, findings: FileFindings, defaults: FileDefaults): RawEntry[] {
  const { file } = findings;
  const entries: RawEntry[] = [];
  const lines = lineLocator(text);
  const layout = scanJson(text, MANIFEST_LIMITS.maxDepth);
  if (layout.tooDeepAt !== undefined) {
    findings.add(
      lines(layout.tooDeepAt),
      'too-deep',
      `${file} is nested more than ${MANIFEST_LIMITS.maxDepth} levels deep: an offboarding file is a flat list of users`,
    );
    return entries;
  }
  // lossless-json keeps the last of two equal keys silently (and throws on unequal ones); the scan saw
  // every key, so repeated keys are reported from it.
  const reportDuplicateKeys = () => {
    for (const { key, offset } of layout.duplicateKeys) {
      findings.add(
        lines(offset),
        'duplicate-key',
        `The key ${quoteValue(key)} appears twice in the same object`,
      );
    }
  };
  let root: unknown;
  try {
    root = parseJson(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/^Duplicate key/.test(message) && layout.duplicateKeys.length > 0) {
      reportDuplicateKeys();
      return entries;
    }
    // Keys the scan saw in text that is not JSON are not worth reporting: the syntax error is.
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    findings.add(lines(offset), 'syntax', `${file} is not valid JSON: ${message}`);
    return entries;
  }
  reportDuplicateKeys();
  const lineAt = (...path: (string | number)[]) => lines(layout.positions.get(pathKey(path)) ?? 0);
  if (!isPlainObject(root)) {
    findings.add(1, 'invalid-shape', `${file} must be an object with a "users" array`);
    return entries;
  }
  for (const key of Object.keys(root)) {
    if (key === 'deactivate-on') {
      const value = root[key];
      if (typeof value === 'string' && value !== '') defaults.deactivateOn = { value, line: lineAt(key) };
      else findings.add(lineAt(key), 'invalid-value', "The file's deactivate-on must be a date string");
    } else if (key !== 'users') {
      findings.add(
        lineAt(key),
        'unknown-key',
        `Unknown key ${quoteValue(key)} at the top of the file: the keys allowed are ${TOP_LEVEL_KEYS.join(', ')}`,
      );
    }
  }
  if (!Object.hasOwn(root, 'users')) {
    if (findings.count === 0) findings.add(1, 'invalid-shape', `${file} has no "users" array`);
    return entries;
  }
  const users = root['users'];
  if (!Array.isArray(users)) {
    findings.add(lineAt('users'), 'invalid-shape', '"users" must be an array of entries');
    return entries;
  }
  users.forEach((item: unknown, index) => {
    const line = lineAt('users', index);
    const text = jsonScalarText(item);
    if (typeof text === 'string') {
      if (text === '')
        findings.add(
          line,
          'invalid-shape',
          'This entry is empty: give an email, an ID or an object with id/email',
        );
      else entries.push(bareEntry(line, text, findings));
      return;
    }
    if (!isPlainObject(item)) {
      findings.add(
        line,
        'invalid-shape',
        'Each entry must be an email, an ID or an object with id/email (and optional reason, ticket, deactivate-on)',
      );
      entries.push({ line, broken: true });
      return;
    }
    const entry: RawEntry = { line };
    for (const [key, value] of Object.entries(item)) {
      const keyLine = lineAt('users', index, key);
      if (!isEntryKey(key)) {
        findings.add(keyLine, 'unknown-key', unknownKeyMessage(key, 'in this entry'));
        entry.broken = true;
        continue;
      }
      const valueText = jsonScalarText(value);
      if (value === null && (key === 'reason' || key === 'ticket')) continue;
      if (valueText === undefined) {
        findings.add(
          keyLine,
          'invalid-value',
          `The ${key} of this entry must be a string${key === 'id' ? ' or a number' : ''}`,
        );
        entry.broken = true;
      } else {
        entry[key] = valueText;
        if (keyLine !== line) entry.valueLines = { ...entry.valueLines, [key]: keyLine };
      }
    }
    entries.push(entry);
  });
  return entries;
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

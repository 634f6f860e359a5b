import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar, visit } from 'yaml';
import { quoteValue } from '../quote.js';
import {
  bareEntry,
  type FileDefaults,
  isEntryKey,
  type RawEntry,
  TOP_LEVEL_KEYS,
  unknownKeyMessage,
} from './entries.js';
import type { FileFindings } from './findings.js';

/**
 * A YAML offboarding file: a mapping with `users:`, a list of emails, IDs or id/email mappings, and
 * optionally `deactivate-on:`, the leave date of every entry that gives none.
 */
export function readYaml(text: string, findings: FileFindings, defaults: FileDefaults): RawEntry[] {
  const { file } = findings;
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
        findings.add(
          line,
          'too-deep',
          `${file} is nested too deeply to read: an offboarding file is a flat list of users`,
        );
      tooDeep = true;
    } else if (problem.code === 'MULTIPLE_DOCS') {
      // The parser's own advice (parseAllDocuments) is for programmers; say what to do with the file.
      findings.add(
        line,
        'syntax',
        `${file} holds more than one YAML document (a second "---" starts another): an offboarding file is one document with one "users:" list; join the lists or put each in its own file`,
      );
    } else if (problem.code === 'DUPLICATE_KEY') {
      findings.add(line, 'duplicate-key', `A key appears twice in the same mapping: ${detail}`);
    } else {
      findings.add(line, 'syntax', `${file} is not valid YAML: ${detail}`);
    }
  }
  if (findings.count > 0) return entries;

  visit(doc, {
    Alias(_key, node) {
      findings.add(
        lineOf(node.range?.[0] ?? 0),
        'alias',
        `YAML aliases (*${node.source}) are not allowed in offboarding files: write each entry out`,
      );
    },
  });
  if (findings.count > 0) return entries;

  const root = doc.contents;
  if (root === null) return entries; // only comments: reported as listing no users
  const shape = (node: Node | null | undefined, message: string) =>
    findings.add(lineOf(node?.range?.[0] ?? 0), 'invalid-shape', message);
  if (!isMap(root)) {
    shape(root, `${file} must be a mapping with a "users:" list at the top`);
    return entries;
  }
  let users: Node | null | undefined;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const keyLine = lineOf((pair.key as Node | null)?.range?.[0] ?? 0);
    if (key === 'users') users = pair.value as Node | null;
    else if (key === 'deactivate-on') {
      const value = pair.value as Node | null;
      const text = isScalar(value) ? yamlScalarText(value) : undefined;
      if (text === undefined || text === '') {
        findings.add(keyLine, 'invalid-value', "The file's deactivate-on must be one date, and not empty");
      } else defaults.deactivateOn = { value: text, line: keyLine };
    } else {
      findings.add(
        keyLine,
        'unknown-key',
        `Unknown key ${quoteValue(key ?? String(pair.key))} at the top of the file: the keys allowed are ${TOP_LEVEL_KEYS.join(', ')}`,
      );
    }
  }
  if (users === undefined) {
    if (findings.count === 0) shape(root, `${file} has no "users:" list`);
    return entries;
  }
  if (users === null || (isScalar(users) && users.value === null)) return entries;
  if (!isSeq(users)) {
    shape(users, '"users:" must be a list of entries (lines starting with "- ")');
    return entries;
  }
  for (const item of users.items as (Node | null)[]) {
    const line = lineOf(item?.range?.[0] ?? 0);
    if (isScalar(item)) {
      const text = yamlScalarText(item);
      if (text === undefined || text === '')
        shape(item, 'This entry is empty: give an email, an ID or a mapping with id/email');
      else entries.push(bareEntry(line, text, findings));
    } else if (isMap(item)) {
      const entry: RawEntry = { line };
      for (const pair of item.items) {
        const keyNode = pair.key as Node | null;
        const valueNode = pair.value as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        const keyLine = lineOf(keyNode?.range?.[0] ?? item.range?.[0] ?? 0);
        if (key === undefined || !isEntryKey(key)) {
          findings.add(keyLine, 'unknown-key', unknownKeyMessage(key ?? String(keyNode), 'in this entry'));
          entry.broken = true;
        } else if (valueNode === null || (isScalar(valueNode) && valueNode.value === null)) {
          if (key === 'id' || key === 'email' || key === 'deactivate-on') {
            findings.add(keyLine, 'invalid-value', `The ${key} of this entry is empty`);
            entry.broken = true;
          }
        } else if (!isScalar(valueNode)) {
          findings.add(
            keyLine,
            'invalid-value',
            `The ${key} of this entry must be a single value, not a list or mapping`,
          );
          entry.broken = true;
        } else {
          entry[key] = yamlScalarText(valueNode);
          const valueLine = lineOf(valueNode.range?.[0] ?? 0);
          if (valueLine !== line) entry.valueLines = { ...entry.valueLines, [key]: valueLine };
        }
      }
      entries.push(entry);
    } else {
      shape(
        item,
        'Each entry must be an email, an ID or a mapping with id/email (and optional reason, ticket, deactivate-on)',
      );
      entries.push({ line, broken: true });
    }
  }
  return entries;
}

/**
 * The text of a scalar as written: plain scalars keep their source so `0x10`, `1e5` and `+5` are
 * refused as IDs instead of silently becoming 16, 100000 and 5.
 */
function yamlScalarText(node: Scalar): string | undefined {
  if (node.value === null || node.value === undefined) return undefined;
  if (node.type === 'PLAIN' && node.source !== undefined) return node.source;
  return String(node.value);
}

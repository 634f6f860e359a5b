import { describe, expect, it } from 'vitest';
import { parseOffboardingFile } from '../../src/manifest/index.js';
import { where } from './support.js';

const now = new Date('2026-12-02T12:00:00Z');
const parse = (file: string, text: string) => parseOffboardingFile(file, text, { now });
const dates = (file: string, text: string) =>
  parse(file, text).targets.map((target) => [target.given, target.deactivateOn]);

describe('parseOffboardingFile: deactivate-on', () => {
  it('YAML: per entry, and a top-level default for the entries that give none', () => {
    const yaml = [
      'deactivate-on: 2026-12-15',
      'users:',
      '  - jane@example.com',
      '  - email: sam@example.com',
      '    deactivate-on: 2026-12-20T17:30:00+01:00',
      '  - id: 4583173393803140',
      '    deactivate-on: "2026-12-01"',
      '',
    ].join('\n');
    expect(parse('a.yaml', yaml).findings).toEqual([]);
    expect(dates('a.yaml', yaml)).toEqual([
      ['jane@example.com', '2026-12-15'],
      ['sam@example.com', '2026-12-20T17:30:00+01:00'],
      ['4583173393803140', '2026-12-01'],
    ]);
  });

  it('JSON: per entry and a top-level default', () => {
    const json = `{
  "deactivate-on": "2026-12-15T09:00:00Z",
  "users": [
    "jane@example.com",
    { "id": 4583173393803140, "deactivate-on": "2027-01-04" }
  ]
}`;
    expect(parse('a.json', json).findings).toEqual([]);
    expect(dates('a.json', json)).toEqual([
      ['jane@example.com', '2026-12-15T09:00:00Z'],
      ['4583173393803140', '2027-01-04'],
    ]);
  });

  it('CSV: a deactivate-on column, an empty cell meaning no date', () => {
    const csv = 'email,deactivate-on\njane@example.com,2026-12-15\nsam@example.com,\n';
    expect(parse('a.csv', csv).findings).toEqual([]);
    expect(dates('a.csv', csv)).toEqual([
      ['jane@example.com', '2026-12-15'],
      ['sam@example.com', undefined],
    ]);
  });

  it('no date is no date: plain text has none, and a file without one leaves every entry due', () => {
    expect(dates('a.txt', 'jane@example.com\n')).toEqual([['jane@example.com', undefined]]);
    expect(dates('a.yaml', 'users:\n  - jane@example.com\n')).toEqual([['jane@example.com', undefined]]);
  });

  it('refuses, with file and line, a date that does not exist, a date-time without offset, one too far ahead', () => {
    const yaml = [
      'users:',
      '  - email: a@example.com',
      '    deactivate-on: 2027-02-29',
      '  - email: b@example.com',
      '    deactivate-on: 2026-12-15T17:30:00',
      '  - email: c@example.com',
      '    deactivate-on: 2029-01-01',
      '  - email: d@example.com',
      '    deactivate-on: next friday',
      '  - email: ok@example.com',
      '    deactivate-on: 2026-12-15',
      '',
    ].join('\n');
    const { targets, findings } = parse('offboarding/leavers.yaml', yaml);
    expect(where(findings)).toEqual([
      [2, 'invalid-date'],
      [4, 'invalid-date'],
      [6, 'invalid-date'],
      [8, 'invalid-date'],
    ]);
    expect(findings.every((finding) => finding.file === 'offboarding/leavers.yaml')).toBe(true);
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringContaining('"2027-02-29" does not exist in the calendar'),
      expect.stringContaining('"2026-12-15T17:30:00" has no offset'),
      expect.stringContaining('"2029-01-01" is more than 2 years ahead'),
      expect.stringContaining('"next friday" is not an ISO date'),
    ]);
    // Entries with a bad date are never targets (and the run refuses on any finding anyway).
    expect(targets.map((target) => target.given)).toEqual(['ok@example.com']);
  });

  it('refuses an invalid file default on its own line, once', () => {
    const { findings } = parse(
      'a.yaml',
      'users:\n  - a@example.com\n  - b@example.com\ndeactivate-on: 2026-13-01\n',
    );
    expect(where(findings)).toEqual([[4, 'invalid-date']]);
    const json = parse('a.json', '{\n  "deactivate-on": 20261215,\n  "users": ["a@example.com"]\n}');
    expect(where(json.findings)).toEqual([[2, 'invalid-value']]);
  });

  it('refuses an empty deactivate-on instead of reading it as "at once"', () => {
    expect(where(parse('a.yaml', 'users:\n  - email: a@example.com\n    deactivate-on:\n').findings)).toEqual(
      [[3, 'invalid-value']],
    );
    expect(where(parse('a.yaml', 'deactivate-on:\nusers:\n  - a@example.com\n').findings)).toEqual([
      [1, 'invalid-value'],
    ]);
    expect(
      where(parse('a.json', '{"users": [{"email": "a@example.com", "deactivate-on": null}]}').findings),
    ).toEqual([[1, 'invalid-value']]);
  });

  it('a CSV date cell is refused at its row', () => {
    const { findings } = parse(
      'a.csv',
      'email,deactivate-on\na@example.com,2026-12-15\nb@example.com,15/12/2026\n',
    );
    expect(where(findings)).toEqual([[3, 'invalid-date']]);
  });
});

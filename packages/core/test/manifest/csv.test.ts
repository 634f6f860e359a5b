import { describe, expect, it } from 'vitest';
import { parseOffboardingFile } from '../../src/manifest/index.js';
import { BIG_ID, messageAt, parseFixture, where } from './support.js';

describe('parseOffboardingFile: CSV', () => {
  it('never reads a formula cell as an ID or email, and neutralises formulas in reason and ticket', () => {
    const { targets, findings } = parseFixture('formulas.csv');
    expect(where(findings)).toEqual([
      [2, 'formula-cell'],
      [3, 'formula-cell'],
      [4, 'formula-cell'],
      [5, 'formula-cell'],
    ]);
    expect(messageAt(findings, 2)).toMatch(/The id cell "=1\+1" starts like a spreadsheet formula/);
    expect(targets).toEqual([
      {
        id: '4583173393803140',
        given: '4583173393803140',
        note: { reason: `'=HYPERLINK("http://evil.example","x")`, ticket: "'@ticket" },
        source: { file: 'offboarding/formulas.csv', line: 6 },
      },
      {
        id: BIG_ID,
        given: BIG_ID,
        note: { reason: "'-left", ticket: "'+1" },
        source: { file: 'offboarding/formulas.csv', line: 7 },
      },
    ]);
  });

  it('gives the line where a record starts, even after quoted line breaks and blank lines', () => {
    const text =
      'email,reason\n"a@example.com","line one\nline two"\n\nb@example.com,x\nc@example.com,"1\n2\n3"\n';
    const { targets, findings } = parseOffboardingFile('a.csv', text);
    expect(findings).toEqual([]);
    expect(targets.map((target) => [target.email, (target.source as { line: number }).line])).toEqual([
      ['a@example.com', 2],
      ['b@example.com', 5],
      ['c@example.com', 6],
    ]);
    expect(targets[0]!.note).toEqual({ reason: 'line one\nline two' });
  });

  it.each([
    [
      'id,name\n4583173393803140,Jane\n',
      'unknown-column',
      /Unknown column "name": allowed columns are id, email, reason, ticket/,
    ],
    ['a@example.com\nb@example.com\n', 'unknown-column', /the first line must be a header/],
    ['id,ID\n1,2\n', 'duplicate-column', /"id" appears twice/],
    [
      'id;email\n1;a@example.com\n',
      'unknown-column',
      /Unknown column "id;email".*separate columns with commas/,
    ],
    ['reason,ticket\nx,y\n', 'missing-column', /neither an id nor an email column/],
  ])('refuses a bad header %j', (text, code, message) => {
    const { findings } = parseOffboardingFile('a.csv', text);
    expect(findings[0]).toMatchObject({ line: 1, code, message: expect.stringMatching(message) });
  });

  it('accepts header names in any case and order, and padded cells', () => {
    const { targets, findings } = parseOffboardingFile(
      'a.csv',
      'Ticket, Email ,ID\nHR-1, a@example.com , 4583173393803140 \n',
    );
    expect(findings).toEqual([]);
    expect(targets).toMatchObject([
      { id: '4583173393803140', email: 'a@example.com', note: { ticket: 'HR-1' } },
    ]);
  });

  it('refuses rows with more cells than columns, rows with neither id nor email, and broken quoting', () => {
    const { findings } = parseOffboardingFile('a.csv', 'id,email\n1,a@example.com,extra\n,\n,,\n');
    expect(where(findings)).toEqual([[2, 'extra-cells']]);
    const reasonOnly = parseOffboardingFile('a.csv', 'id,email,reason\n,,left\n');
    expect(where(reasonOnly.findings)).toEqual([[2, 'missing-id-or-email']]);
    const quoting = parseOffboardingFile('a.csv', 'id,email\n1,"a@example.com\n');
    expect(quoting.findings).toMatchObject([
      { code: 'syntax', message: expect.stringMatching(/not valid CSV/) },
    ]);
  });
});

import type { Report } from '@smartsheet-offboard/core';
import { describe, expect, it } from 'vitest';
import { colorsFor, formatFindings, formatResultsTable, formatSummary } from '../src/render.js';

const ESC = '\u001b[';
const plain = colorsFor({ isTTY: false }, {});

const report: Report = {
  mode: 'apply',
  summary: { deactivated: 1, 'already-deactivated': 0, blocked: 1, 'not-found': 0, failed: 0 },
  results: [
    {
      id: '48569348493401200',
      email: 'jane.doe@example.com',
      given: 'jane.doe@example.com',
      outcome: 'deactivated',
      source: { file: 'offboarding/a.yaml', line: 3 },
      note: { reason: 'Left the company', ticket: 'HR-1' },
    },
    {
      id: '7',
      email: 'joe@gmail.com',
      given: '7',
      outcome: 'blocked',
      reason: 'isp-domain',
      message: 'ISP domains cannot be deactivated.',
      source: { input: '--user-id' },
    },
  ],
};

describe('colorsFor', () => {
  it('colours a terminal, not a pipe', () => {
    expect(colorsFor({ isTTY: true }, {}).red('x')).toContain(ESC);
    expect(colorsFor({ isTTY: false }, {}).red('x')).toBe('x');
  });

  it('respects NO_COLOR, FORCE_COLOR and a dumb terminal', () => {
    expect(colorsFor({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(colorsFor({ isTTY: false }, { FORCE_COLOR: '1' }).red('x')).toContain(ESC);
    expect(colorsFor({ isTTY: false }, { FORCE_COLOR: '0' }).red('x')).toBe('x');
    expect(colorsFor({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' }).red('x')).toBe('x');
    expect(colorsFor({ isTTY: true }, { TERM: 'dumb' }).red('x')).toBe('x');
  });
});

describe('formatResultsTable', () => {
  it('aligns one row per target with its source and why', () => {
    const lines = formatResultsTable(report.results, plain).trimEnd().split('\n');
    expect(lines).toEqual([
      'OUTCOME      ID                 EMAIL                 SOURCE                DETAIL',
      'deactivated  48569348493401200  jane.doe@example.com  offboarding/a.yaml:3  HR-1 Left the company',
      'blocked      7                  joe@gmail.com         --user-id             isp-domain: ISP domains cannot be deactivated.',
    ]);
  });

  it('shows the target as given when Smartsheet knows nobody by it', () => {
    const table = formatResultsTable(
      [{ given: 'ghost@example.com', outcome: 'not-found', source: { input: '--email' } }],
      plain,
    );
    expect(table).toContain('not-found  -   ghost@example.com');
  });

  it('keeps the table on a terminal wide enough for it', () => {
    expect(formatResultsTable(report.results, plain, 200)).toBe(formatResultsTable(report.results, plain));
  });

  it('stacks each target on a terminal too narrow for the table, every line within its width', () => {
    const text = formatResultsTable(report.results, plain, 60);
    expect(text.split('\n')).toEqual([
      'outcome: deactivated',
      '  id      48569348493401200',
      '  email   jane.doe@example.com',
      '  source  offboarding/a.yaml:3',
      '  detail  HR-1 Left the company',
      'outcome: blocked',
      '  id      7',
      '  email   joe@gmail.com',
      '  source  --user-id',
      '  detail  isp-domain: ISP domains cannot be deactivated.',
      '',
    ]);
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(60);
  });

  it('colours outcomes only when colours are on', () => {
    expect(formatResultsTable(report.results, plain)).not.toContain(ESC);
    expect(formatResultsTable(report.results, colorsFor({ isTTY: true }, {}))).toContain(`${ESC}31mblocked`);
  });
});

describe('formatSummary', () => {
  it('counts every outcome of the mode on one line', () => {
    expect(formatSummary(report, plain)).toBe(
      'apply: 1 deactivated, 0 already-deactivated, 1 blocked, 0 not-found, 0 failed\n',
    );
  });
});

describe('formatFindings', () => {
  it('points at file, line and column', () => {
    expect(
      formatFindings(
        [{ source: 'file', file: 'a.csv', line: 4, column: 2, code: 'malformed-id', message: 'Not an ID.' }],
        plain,
      ),
    ).toBe('a.csv:4:2 malformed-id Not an ID.\n');
  });
});

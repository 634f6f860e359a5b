import { describe, expect, it } from 'vitest';
import {
  describeResult,
  exitCodeFor,
  idsByOutcome,
  OUTCOME_TITLES,
  PROBLEM_OUTCOMES,
  planReport,
  REASON_TITLES,
  reportToJson,
  SUMMARY_OUTCOMES,
  summarize,
  summaryOutcomes,
} from '../src/report.js';
import type { Outcome, Plan, Report, ReportResult } from '../src/types.js';

const result = (outcome: Outcome, fields: Partial<ReportResult> = {}): ReportResult => ({
  given: fields.id ?? 'someone@example.com',
  outcome,
  ...fields,
});

describe('summarize', () => {
  it('lists every outcome of an apply, zeros included', () => {
    expect(summarize('apply', [result('deactivated'), result('deactivated'), result('failed')])).toEqual({
      deactivated: 2,
      scheduled: 0,
      'already-deactivated': 0,
      blocked: 0,
      'not-found': 0,
      failed: 1,
    });
  });

  it('lists the outcomes of a plan, of a plan to reactivate, and of a reactivation', () => {
    expect(summarize('plan', [])).toEqual({
      'would-deactivate': 0,
      scheduled: 0,
      'already-deactivated': 0,
      blocked: 0,
      'not-found': 0,
    });
    expect(summarize('plan', [result('would-reactivate')], 'reactivate')).toEqual({
      'would-reactivate': 1,
      'already-active': 0,
      blocked: 0,
      'not-found': 0,
    });
    expect(summarize('reactivate', [result('already-active')])).toEqual({
      reactivated: 0,
      'already-active': 1,
      blocked: 0,
      'not-found': 0,
      failed: 0,
    });
    expect(summarize('validate', [])).toEqual({});
  });

  it('keeps its keys in reading order', () => {
    expect(Object.keys(summarize('apply', []))).toEqual([
      'deactivated',
      'scheduled',
      'already-deactivated',
      'blocked',
      'not-found',
      'failed',
    ]);
  });
});

describe('exitCodeFor', () => {
  const report = (...results: ReportResult[]): Report => ({
    mode: 'apply',
    summary: summarize('apply', results),
    results,
  });

  it('is 0 when everyone ended deactivated or already deactivated, or nothing was asked', () => {
    expect(exitCodeFor(report(result('deactivated'), result('already-deactivated')))).toBe(0);
    expect(exitCodeFor(report())).toBe(0);
    expect(exitCodeFor({ mode: 'plan', summary: {}, results: [result('would-deactivate')] })).toBe(0);
    expect(exitCodeFor({ mode: 'reactivate', summary: {}, results: [result('already-active')] })).toBe(0);
  });

  it.each(['blocked', 'not-found', 'failed'] as const)('is 1 when any target is %s', (outcome) => {
    expect(exitCodeFor(report(result('deactivated'), result(outcome)))).toBe(1);
  });

  it('is 1 when files had findings', () => {
    const findings = [
      { source: 'file' as const, file: 'a.yaml', line: 2, code: 'malformed-id' as const, message: 'bad' },
    ];
    expect(exitCodeFor({ mode: 'validate', summary: {}, results: [], findings })).toBe(1);
    expect(exitCodeFor({ mode: 'validate', summary: {}, results: [], findings: [] })).toBe(0);
  });
});

describe('summaryOutcomes and PROBLEM_OUTCOMES', () => {
  it.each(Object.entries(SUMMARY_OUTCOMES))(
    'gives the outcomes of a %s summary in its reading order',
    (_, outcomes) => {
      const summary = Object.fromEntries([...outcomes].reverse().map((outcome) => [outcome, 0]));
      expect(summaryOutcomes({ summary })).toEqual(outcomes);
    },
  );

  it('names exactly the outcomes that fail the run', () => {
    for (const outcome of Object.keys(OUTCOME_TITLES) as Outcome[]) {
      expect(exitCodeFor({ mode: 'apply', summary: {}, results: [result(outcome)] })).toBe(
        PROBLEM_OUTCOMES.has(outcome) ? 1 : 0,
      );
    }
    expect([...PROBLEM_OUTCOMES].sort()).toEqual(['blocked', 'failed', 'not-found']);
  });
});

describe('idsByOutcome', () => {
  it('gives IDs as strings per outcome, the given entry for not-found, and every key of the summary', () => {
    const results = [
      result('deactivated', { id: '48569348493401201', email: 'a@example.com', given: 'a@example.com' }),
      result('deactivated', { id: '48569348493401201', given: '48569348493401201' }),
      result('blocked', { given: 'joe@gmail.com', email: 'joe@gmail.com', reason: 'isp-domain' }),
      result('not-found', { id: '77', given: '77' }),
      result('not-found', { email: 'Nobody@example.com', given: 'Nobody@Example.com' }),
    ];
    const byOutcome = idsByOutcome({ mode: 'apply', summary: summarize('apply', results), results });
    expect(byOutcome).toEqual({
      deactivated: ['48569348493401201'],
      scheduled: [],
      'already-deactivated': [],
      blocked: ['joe@gmail.com'],
      'not-found': ['77', 'Nobody@Example.com'],
      failed: [],
    });
  });
});

describe('describeResult and titles', () => {
  it('has a title for every reason and outcome', () => {
    for (const title of [...Object.values(REASON_TITLES), ...Object.values(OUTCOME_TITLES)]) {
      expect(title).toMatch(/^[A-Z]/);
    }
    expect(Object.keys(REASON_TITLES)).toContain('over-limit');
  });

  it('says who, what, why, and Smartsheet’s error code and refId', () => {
    expect(
      describeResult(
        result('blocked', {
          id: '5',
          email: 'okta@example.com',
          reason: 'directory-managed',
          message: 'Managed by Okta.',
          errorCode: 5697,
          refId: 'abc123',
        }),
      ),
    ).toBe(
      'okta@example.com (ID 5): Blocked, Managed by a directory service: Managed by Okta.; error 5697; refId abc123',
    );
    expect(describeResult(result('deactivated', { given: '42' }))).toBe('42: Deactivated');
  });
});

describe('planReport', () => {
  const plan: Plan = {
    operation: 'deactivate',
    caller: { id: '1', email: 'admin@example.com' },
    maxDeactivations: 25,
    digest: 'sha256:0000',
    entries: [
      {
        target: {
          email: 'jane@example.com',
          given: 'Jane@Example.com',
          note: { ticket: 'HR-1' },
          source: { file: 'offboarding/a.yaml', line: 3 },
        },
        user: { id: '48569348493401201', email: 'jane@example.com', status: 'ACTIVE' },
        outcome: 'would-deactivate',
      },
      {
        target: { id: '9', given: '9', source: { input: 'user-ids' } },
        outcome: 'not-found',
        message: 'No Smartsheet user has the ID 9.',
      },
    ],
  };

  it('follows the contract: string IDs, email, outcome, source, no empty fields', () => {
    const report = planReport(plan);
    expect(report).toEqual({
      mode: 'plan',
      planDigest: 'sha256:0000',
      summary: { 'would-deactivate': 1, scheduled: 0, 'already-deactivated': 0, blocked: 0, 'not-found': 1 },
      results: [
        {
          id: '48569348493401201',
          email: 'jane@example.com',
          given: 'Jane@Example.com',
          outcome: 'would-deactivate',
          source: { file: 'offboarding/a.yaml', line: 3 },
          note: { ticket: 'HR-1' },
        },
        {
          id: '9',
          given: '9',
          outcome: 'not-found',
          message: 'No Smartsheet user has the ID 9.',
          source: { input: 'user-ids' },
        },
      ],
    });
    const json = reportToJson(report);
    expect(json).toContain('"id": "48569348493401201"');
    expect(Object.keys(JSON.parse(json).results[1])).not.toContain('reason');
  });
});

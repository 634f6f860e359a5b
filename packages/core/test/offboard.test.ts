import { calls, deactivationRequests } from '@smartsheet-offboard/testkit/journal';
import { CALLER } from '@smartsheet-offboard/testkit/orgs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, SmartsheetApiError } from '../src/errors.js';
import { offboard } from '../src/offboard.js';
import type { Plan } from '../src/types.js';
import { ADMIN_TOKEN, connection, everyCaseSeed, MEMBER_TOKEN, PEOPLE, useSimulator } from './support/org.js';

const simulator = await useSimulator(everyCaseSeed());
beforeEach(() => simulator.reset());

const financeFile = {
  path: 'offboarding/2026-11-26-finance.yaml',
  content: [
    'users:',
    `  - email: ${PEOPLE.jane.email}`,
    '    reason: Left the company',
    '    ticket: HR-1234',
    `  - id: ${PEOPLE.big.id}`,
    `  - ${PEOPLE.isp.email}`,
    '',
  ].join('\n'),
};

describe('offboard()', () => {
  it('refuses invalid files before any request, with every finding', async () => {
    const result = await offboard({
      mode: 'apply',
      files: [financeFile, { path: 'offboarding/bad.yaml', content: 'users:\n  - id: 12abc\n' }],
      connection: connection(simulator),
    });
    expect(result.stoppedBecause).toBe('invalid');
    expect(result.report.results).toEqual([]);
    expect(result.report.findings).toEqual([
      expect.objectContaining({ file: 'offboarding/bad.yaml', line: 2, code: 'malformed-id' }),
    ]);
    expect(result.report.summary).toEqual({
      deactivated: 0,
      scheduled: 0,
      'already-deactivated': 0,
      blocked: 0,
      'not-found': 0,
      failed: 0,
    });
    expect(simulator.journal()).toEqual([]);
  });

  it('refuses the same person named in a file and an input, before any request', async () => {
    const result = await offboard({
      mode: 'plan',
      files: [financeFile],
      inputs: { userIds: [PEOPLE.big.id] },
      connection: connection(simulator),
    });
    expect(result.stoppedBecause).toBe('invalid');
    expect(result.report.findings?.map((finding) => finding.code)).toEqual(['duplicate']);
    expect(simulator.journal()).toEqual([]);
  });

  it('validates without a connection and says how many targets it read', async () => {
    const result = await offboard({ mode: 'validate', files: [financeFile] });
    expect(result.stoppedBecause).toBeUndefined();
    expect(result.targets.map((target) => target.given)).toEqual([
      PEOPLE.jane.email,
      PEOPLE.big.id,
      PEOPLE.isp.email,
    ]);
    // The report lists them too, so `validate --json` shows what it checked.
    expect(result.report).toEqual({
      mode: 'validate',
      summary: {},
      results: [],
      findings: [],
      targets: result.targets,
    });
    expect(result.report.targets?.map((target) => target.source)).toEqual([
      { file: financeFile.path, line: 2 },
      { file: financeFile.path, line: 5 },
      { file: financeFile.path, line: 6 },
    ]);
    expect(simulator.journal()).toEqual([]);
  });

  it('with no target at all, makes no request and says so', async () => {
    const result = await offboard({ mode: 'apply', files: [], connection: connection(simulator) });
    expect(result.stoppedBecause).toBe('no-targets');
    expect(result.report.results).toEqual([]);
    expect(result.report.summary).toMatchObject({ deactivated: 0, failed: 0 });
    expect(simulator.journal()).toEqual([]);
  });

  it('needs a connection for anything but validate', async () => {
    await expect(offboard({ mode: 'plan', inputs: { emails: [PEOPLE.jane.email] } })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it('plans without changing anyone', async () => {
    const onPlan = vi.fn();
    const result = await offboard({
      mode: 'plan',
      files: [financeFile],
      connection: connection(simulator),
      planOptions: { planDomains: ['example.com'] },
      onPlan,
    });
    expect(onPlan).toHaveBeenCalledOnce();
    expect(result.report.mode).toBe('plan');
    expect(result.report.planDigest).toBe(result.plan?.digest);
    expect(result.report.summary).toEqual({
      'would-deactivate': 2,
      scheduled: 0,
      'already-deactivated': 0,
      blocked: 1,
      'not-found': 0,
    });
    expect(result.report.results[0]).toMatchObject({
      id: PEOPLE.jane.id,
      email: PEOPLE.jane.email,
      outcome: 'would-deactivate',
      note: { reason: 'Left the company', ticket: 'HR-1234' },
      source: { file: financeFile.path, line: 2 },
    });
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(0);
  });

  it('applies after confirmation, and the plan is shown before the first change', async () => {
    let changesWhenPlanned = -1;
    const confirm = vi.fn((_plan: Plan) => true);
    const result = await offboard({
      mode: 'apply',
      files: [financeFile],
      inputs: { emails: [PEOPLE.bob.email] },
      connection: connection(simulator),
      onPlan: () => {
        changesWhenPlanned = calls(simulator.journal(), 'deactivateUser').length;
      },
      confirm,
    });
    expect(changesWhenPlanned).toBe(0);
    expect(confirm).toHaveBeenCalledWith(result.plan);
    expect(result.stoppedBecause).toBeUndefined();
    expect(result.report.mode).toBe('apply');
    expect(result.report.results.map((item) => [item.given, item.outcome, item.reason])).toEqual([
      [PEOPLE.jane.email, 'deactivated', undefined],
      [PEOPLE.big.id, 'deactivated', undefined],
      [PEOPLE.isp.email, 'blocked', 'isp-domain'],
      [PEOPLE.bob.email, 'deactivated', undefined],
    ]);
    expect(deactivationRequests(simulator.journal()).sort()).toEqual(
      [PEOPLE.jane.id, PEOPLE.big.id, PEOPLE.bob.id].sort(),
    );
  });

  it('changes nothing when the confirmation is declined', async () => {
    const result = await offboard({
      mode: 'apply',
      files: [financeFile],
      connection: connection(simulator),
      confirm: async () => false,
    });
    expect(result.stoppedBecause).toBe('declined');
    expect(result.report.mode).toBe('plan');
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(0);
  });

  it('over the limit: asks nothing, changes nothing, and says why', async () => {
    const confirm = vi.fn(() => true);
    const result = await offboard({
      mode: 'apply',
      files: [financeFile],
      connection: connection(simulator),
      planOptions: { maxDeactivations: 1 },
      confirm,
    });
    expect(result.stoppedBecause).toBe('over-limit');
    expect(confirm).not.toHaveBeenCalled();
    expect(result.report.summary).toMatchObject({ deactivated: 0, blocked: 3 });
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(0);
  });

  it('reactivates in reactivate mode, whatever planOptions.operation says', async () => {
    const result = await offboard({
      mode: 'reactivate',
      inputs: { userIds: [PEOPLE.gone.id] },
      connection: connection(simulator),
      planOptions: { operation: 'deactivate' },
    });
    expect(result.report.mode).toBe('reactivate');
    expect(result.report.results[0]).toMatchObject({ id: PEOPLE.gone.id, outcome: 'reactivated' });
    expect(simulator.user(PEOPLE.gone.id)?.status).toBe('ACTIVE');
  });

  it('one person named by email in one file and by ID in another is one result, counted once', async () => {
    const files = [
      { path: 'a.txt', content: `${PEOPLE.jane.email}\n${PEOPLE.bob.id}\n` },
      { path: 'b.json', content: JSON.stringify({ users: [{ id: PEOPLE.jane.id }] }) },
    ];
    const planned = await offboard({
      mode: 'plan',
      files,
      inputs: { emails: [PEOPLE.bob.email] },
      connection: connection(simulator),
      planOptions: { maxDeactivations: 2 },
    });
    expect(planned.report.summary).toMatchObject({ 'would-deactivate': 2 });
    expect(planned.report.results.map((result) => [result.id, result.outcome, result.sources])).toEqual([
      [
        PEOPLE.jane.id,
        'would-deactivate',
        [
          { file: 'a.txt', line: 1 },
          { file: 'b.json', line: 1 },
        ],
      ],
      [
        PEOPLE.bob.id,
        'would-deactivate',
        [
          { file: 'a.txt', line: 2 },
          { input: 'emails', position: 1 },
        ],
      ],
    ]);

    simulator.clearJournal();
    // Two people under a cap of 2, although four targets name them.
    const applied = await offboard({
      mode: 'apply',
      files,
      inputs: { emails: [PEOPLE.bob.email] },
      connection: connection(simulator),
      planOptions: { maxDeactivations: 2 },
    });
    expect(applied.report.summary).toMatchObject({ deactivated: 2, failed: 0 });
    expect(applied.report.results).toHaveLength(2);
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(2);
  });

  it('a refusal for one of the names of a person holds the person: blocked, not deactivated', async () => {
    const result = await offboard({
      mode: 'plan',
      inputs: { userIds: [PEOPLE.jane.id], emails: [PEOPLE.jane.email] },
      connection: connection(simulator),
      planOptions: { protectedUsers: [PEOPLE.jane.email] },
    });
    expect(result.report.results.map((item) => [item.outcome, item.reason, item.sources?.length])).toEqual([
      ['blocked', 'protected', 2],
    ]);
  });

  it('passes an abort on: aborted before planning, it sends nothing and every target is interrupted', async () => {
    const controller = new AbortController();
    controller.abort();
    simulator.clearJournal();
    const result = await offboard({
      mode: 'apply',
      inputs: { userIds: [PEOPLE.jane.id, PEOPLE.bob.id] },
      connection: connection(simulator),
      signal: controller.signal,
    });
    expect(result.stoppedBecause).toBe('interrupted');
    expect(result.report.results.map((item) => [item.id, item.outcome, item.reason])).toEqual([
      [PEOPLE.jane.id, 'failed', 'interrupted'],
      [PEOPLE.bob.id, 'failed', 'interrupted'],
    ]);
    expect(result.report.summary).toMatchObject({ deactivated: 0, failed: 2 });
    expect(simulator.journal()).toHaveLength(0);
  });

  it('an abort after the plan: only changes already sent happen, the queued ones are interrupted', async () => {
    const controller = new AbortController();
    simulator.clearJournal();
    // Paced at 60 a minute, the client holds the queued changes a second apart: the abort comes as the
    // first change is answered, while the others wait for their turn, and none of them may be sent.
    const result = await offboard({
      mode: 'apply',
      inputs: { userIds: [PEOPLE.jane.id, PEOPLE.big.id, PEOPLE.bob.id] },
      connection: connection(simulator, { requestsPerMinute: 60 }),
      signal: controller.signal,
      onResult: () => controller.abort(),
    });
    expect(result.report.results.map((item) => [item.outcome, item.reason])).toEqual([
      ['deactivated', undefined],
      ['failed', 'interrupted'],
      ['failed', 'interrupted'],
    ]);
    expect(result.report.results[1]!.message).toBe(
      'Interrupted before the request was sent. Run again to finish: users already changed are skipped.',
    );
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(1);
  });

  it('fails before any deactivation with a non-admin token, and never shows the token', async () => {
    const attempt = offboard({
      mode: 'apply',
      files: [financeFile],
      connection: connection(simulator, { token: MEMBER_TOKEN }),
    });
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmartsheetApiError);
    expect(String((error as Error).message)).toMatch(/not a System Admin/);
    expect(
      JSON.stringify({ message: (error as Error).message, info: (error as SmartsheetApiError).info }),
    ).not.toContain(MEMBER_TOKEN);
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(0);
  });

  it('refuses Smartsheet Gov before any request', async () => {
    await expect(
      offboard({
        mode: 'apply',
        inputs: { userIds: [PEOPLE.jane.id] },
        connection: { token: ADMIN_TOKEN, region: 'gov' },
      }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('keeps the caller out of harm even when named by ID', async () => {
    const result = await offboard({
      mode: 'apply',
      inputs: { userIds: [CALLER.id] },
      connection: connection(simulator),
    });
    expect(result.report.results[0]).toMatchObject({ outcome: 'blocked', reason: 'self' });
    expect(calls(simulator.journal(), 'deactivateUser')).toHaveLength(0);
    expect(JSON.stringify(result.report)).not.toContain(ADMIN_TOKEN);
  });
});

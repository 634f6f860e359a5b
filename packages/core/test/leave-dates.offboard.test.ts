import { beforeEach, describe, expect, it } from 'vitest';
import { offboard } from '../src/offboard.js';
import { exitCodeFor } from '../src/report.js';
import { connection, everyCaseSeed, PEOPLE, useSimulator } from './support/org.js';

const simulator = await useSimulator(everyCaseSeed());
beforeEach(() => simulator.reset());

const now = new Date('2026-12-14T23:30:00Z');
const leavers = {
  path: 'offboarding/leavers.yaml',
  content: [
    'deactivate-on: 2026-12-15',
    'users:',
    `  - ${PEOPLE.jane.email}`,
    `  - id: ${PEOPLE.big.id}`,
    // 23:00 UTC on the 14th, written in New York time: already due at 23:30 UTC.
    '    deactivate-on: 2026-12-14T18:00:00-05:00',
    '',
  ].join('\n'),
};

describe('offboard() with leave dates', () => {
  it('plans scheduled with the date, and apply deactivates only what is due; the run succeeds', async () => {
    const planned = await offboard({
      mode: 'plan',
      files: [leavers],
      connection: connection(simulator),
      planOptions: { now },
    });
    expect(planned.report.results.map((result) => [result.id, result.outcome, result.deactivateOn])).toEqual([
      [PEOPLE.jane.id, 'scheduled', '2026-12-15'],
      [PEOPLE.big.id, 'would-deactivate', '2026-12-14T18:00:00-05:00'],
    ]);
    expect(planned.report.results[0]!.message).toBe(
      'Not due yet: deactivated once 2026-12-15 (00:00 UTC) has come, not before.',
    );

    const applied = await offboard({
      mode: 'apply',
      files: [leavers],
      connection: connection(simulator),
      planOptions: { now },
    });
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('ACTIVE');
    expect(simulator.user(PEOPLE.big.id)?.status).toBe('DEACTIVATED');
    expect(applied.report.summary).toMatchObject({ deactivated: 1, scheduled: 1 });
    expect(exitCodeFor(applied.report)).toBe(0);

    // Half an hour later the date has come.
    const later = await offboard({
      mode: 'apply',
      files: [leavers],
      connection: connection(simulator),
      planOptions: { now: new Date('2026-12-15T00:00:00Z') },
    });
    expect(later.report.results.map((result) => result.outcome)).toEqual([
      'deactivated',
      'already-deactivated',
    ]);
    expect(simulator.user(PEOPLE.jane.id)?.status).toBe('DEACTIVATED');
  });

  it('checks how far ahead a date is against the same moment: two years after now is refused', async () => {
    const far = {
      path: 'offboarding/far.yaml',
      content: `users:\n  - email: ${PEOPLE.jane.email}\n    deactivate-on: 2028-12-15\n`,
    };
    const result = await offboard({
      mode: 'apply',
      files: [far],
      connection: connection(simulator),
      planOptions: { now },
    });
    expect(result.stoppedBecause).toBe('invalid');
    expect(result.report.findings).toMatchObject([
      { file: 'offboarding/far.yaml', line: 2, code: 'invalid-date' },
    ]);
    expect(simulator.journal()).toEqual([]);
  });
});

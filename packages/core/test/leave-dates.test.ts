import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeLeaveDate,
  isDue,
  leaveDateTime,
  MAX_LEAVE_DATE_YEARS_AHEAD,
  parseLeaveDate,
} from '../src/leave-dates.js';
import { atOffset } from './support/dates.js';

const NOW = new Date('2026-12-02T12:00:00Z');

describe('parseLeaveDate', () => {
  it('accepts a date (00:00 UTC) and a date-time with Z or an offset, keeping the text as written', () => {
    for (const text of [
      '2026-12-15',
      '2026-12-15T17:30:00+01:00',
      '2026-12-15T17:30Z',
      '2028-02-29T00:00:00.250-05:30',
    ]) {
      expect(parseLeaveDate(text, NOW)).toEqual({ ok: true, value: text });
    }
    expect(leaveDateTime('2026-12-15')).toBe(Date.UTC(2026, 11, 15));
    expect(leaveDateTime('2026-12-15T17:30:00+01:00')).toBe(Date.UTC(2026, 11, 15, 16, 30));
    expect(leaveDateTime('2026-12-15T17:30:00-01:15')).toBe(Date.UTC(2026, 11, 15, 18, 45));
    expect(leaveDateTime('2028-02-29T00:00:00.250-05:30')).toBe(Date.UTC(2028, 1, 29, 5, 30, 0, 250));
  });

  it('refuses a date that does not exist, naming the value', () => {
    for (const text of ['2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '0000-01-01']) {
      const parsed = parseLeaveDate(text, NOW);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problem).toContain(`"${text}" does not exist in the calendar`);
    }
    for (const text of [
      '2026-02-30T10:00:00Z',
      '2026-12-15T24:00:00Z',
      '2026-12-15T10:60:00Z',
      '2026-12-15T10:00:00+24:00',
    ]) {
      const parsed = parseLeaveDate(text, NOW);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problem).toMatch(/names no real moment/);
    }
  });

  it('refuses a date-time without an offset, saying to add one', () => {
    const parsed = parseLeaveDate('2026-12-15T17:30:00', NOW);
    expect(parsed).toEqual({
      ok: false,
      problem: expect.stringMatching(/"2026-12-15T17:30:00" has no offset.*add Z or one like \+01:00/),
    });
  });

  it('refuses other shapes with what is allowed', () => {
    for (const text of [
      '15.12.2026',
      '2026-12-15 17:30:00Z',
      '2026-12-15t17:30Z',
      'tomorrow',
      '20261215',
      '',
    ]) {
      const parsed = parseLeaveDate(text, NOW);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.problem).toMatch(/deactivate-on/);
    }
    const spaced = parseLeaveDate('2026-12-15 17:30:00Z', NOW);
    if (!spaced.ok) expect(spaced.problem).toMatch(/use T/);
  });

  it(`refuses a date more than ${MAX_LEAVE_DATE_YEARS_AHEAD} years ahead of now, and accepts one just inside`, () => {
    expect(parseLeaveDate('2028-12-02T12:00:00Z', NOW).ok).toBe(true);
    const far = parseLeaveDate('2028-12-02T12:00:01Z', NOW);
    expect(far).toEqual({
      ok: false,
      problem: expect.stringMatching(/more than 2 years ahead \(after 2028-12-02\)/),
    });
    expect(parseLeaveDate('2208-01-01', NOW).ok).toBe(false);
    // Past dates are due at once, not errors: a file merged after the leaver's last day still applies.
    expect(parseLeaveDate('2020-01-01', NOW).ok).toBe(true);
  });

  it('describes a bare date as midnight UTC for people', () => {
    expect(describeLeaveDate('2026-12-15')).toBe('2026-12-15 (00:00 UTC)');
    expect(describeLeaveDate('2026-12-15T17:30:00+01:00')).toBe('2026-12-15T17:30:00+01:00');
  });
});

describe('leave date properties (time zones by offset)', () => {
  const instant = fc
    .integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 0, 1) })
    .map((ms) => ms - (ms % 1000));
  const offset = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });

  it('reads the moment a date-time names, whatever offset it is written in', () => {
    fc.assert(
      fc.property(instant, offset, fc.boolean(), (at, minutes, zulu) => {
        expect(leaveDateTime(atOffset(at, minutes, zulu))).toBe(at);
      }),
      { numRuns: 1000 },
    );
  });

  it('is due from exactly that moment on, the same for every way of writing it', () => {
    fc.assert(
      fc.property(
        instant,
        offset,
        offset,
        fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
        (at, first, second, delta) => {
          const now = new Date(at + delta);
          const due = at <= now.getTime();
          expect(isDue(atOffset(at, first), now)).toBe(due);
          expect(isDue(atOffset(at, second), now)).toBe(due);
          expect(isDue(atOffset(at, 0, true), now)).toBe(due);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a bare date is due from 00:00 UTC that day: one millisecond before is not', () => {
    fc.assert(
      fc.property(instant, (at) => {
        const day = new Date(at).toISOString().slice(0, 10);
        const midnight = Date.UTC(
          Number(day.slice(0, 4)),
          Number(day.slice(5, 7)) - 1,
          Number(day.slice(8, 10)),
        );
        expect(isDue(day, new Date(midnight))).toBe(true);
        expect(isDue(day, new Date(midnight - 1))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('no target without a date is ever held back', () => {
    expect(isDue(undefined, new Date(0))).toBe(true);
  });
});

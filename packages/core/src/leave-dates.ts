import { quoteValue } from './quote.js';

/**
 * How far ahead a leave date may be. Offboarding is planned weeks ahead, not years: a date further out is
 * almost always a typo in the year, and would sit `scheduled` unnoticed until it deactivates someone.
 */
export const MAX_LEAVE_DATE_YEARS_AHEAD = 2;

export type LeaveDateParse = { ok: true; value: string } | { ok: false; problem: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:(Z)|([+-])(\d{2}):(\d{2}))?$/;

/**
 * Checks a `deactivate-on` value: an ISO date (`2026-12-15`, 00:00 UTC that day) or a date-time with an
 * offset (`2026-12-15T17:30:00+01:00`). A date-time without an offset is refused: which day someone leaves
 * must not depend on the time zone of the machine that runs. `now` bounds how far ahead it may be.
 * The value is returned as written, so reports show reviewers exactly what the file says.
 */
export function parseLeaveDate(text: string, now: Date): LeaveDateParse {
  const at = leaveDateTime(text);
  if (at === undefined) return { ok: false, problem: leaveDateProblem(text) };
  const limit = new Date(now.getTime());
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_LEAVE_DATE_YEARS_AHEAD);
  if (at > limit.getTime()) {
    return {
      ok: false,
      problem: `The deactivate-on date ${quoteValue(text)} is more than ${MAX_LEAVE_DATE_YEARS_AHEAD} years ahead (after ${limit.toISOString().slice(0, 10)}): check the year`,
    };
  }
  return { ok: true, value: text };
}

/**
 * The moment (milliseconds since the epoch) a valid `deactivate-on` value names, or undefined when the text
 * is not one. Pure: the offset in the text decides, never the local time zone.
 */
export function leaveDateTime(text: string): number | undefined {
  const date = DATE.exec(text);
  if (date) {
    const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
    return calendarDate(year, month, day) ? Date.UTC(year, month - 1, day) : undefined;
  }
  const dateTime = DATE_TIME.exec(text);
  if (!dateTime) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetHours, offsetMinutes] = dateTime;
  if (zulu === undefined && sign === undefined) return undefined;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s ?? '0'].map(Number) as number[];
  if (!calendarDate(year!, month!, day!) || hour! > 23 || minute! > 59 || second! > 59) return undefined;
  if (sign !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return undefined;
  const offset = sign === undefined ? 0 : Number(offsetHours) * 60 + Number(offsetMinutes);
  const milliseconds = fraction === undefined ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
  const local = Date.UTC(year!, month! - 1, day!, hour, minute, second, milliseconds);
  return local - (sign === '-' ? -offset : offset) * 60_000;
}

/** Whether an entry with this leave date (none: due at once) may be deactivated at `now`. */
export function isDue(deactivateOn: string | undefined, now: Date): boolean {
  if (deactivateOn === undefined) return true;
  const at = leaveDateTime(deactivateOn);
  // Never reached for targets from the parsers (they refuse such values); a date that cannot be read is not due.
  return at !== undefined && at <= now.getTime();
}

/** A leave date for people: a bare date says which moment of the day it means. */
export function describeLeaveDate(deactivateOn: string): string {
  return DATE.test(deactivateOn) ? `${deactivateOn} (00:00 UTC)` : deactivateOn;
}

function calendarDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function leaveDateProblem(text: string): string {
  const quoted = quoteValue(text);
  const allowed =
    'write a date (2026-12-15, meaning 00:00 UTC) or a date-time with an offset (2026-12-15T17:30:00+01:00)';
  if (DATE.test(text)) return `The deactivate-on date ${quoted} does not exist in the calendar: ${allowed}`;
  const dateTime = DATE_TIME.exec(text);
  if (dateTime && dateTime[8] === undefined && dateTime[9] === undefined) {
    return `The deactivate-on date-time ${quoted} has no offset, so its moment depends on a time zone: add Z or one like +01:00`;
  }
  if (dateTime)
    return `The deactivate-on date-time ${quoted} names no real moment (check the date, hours, minutes and offset): ${allowed}`;
  if (/^\d{4}-\d{2}-\d{2}[ t]\d/.test(text)) {
    return `The deactivate-on value ${quoted} separates date and time with a space or lower-case t: use T, e.g. 2026-12-15T17:30:00+01:00`;
  }
  return `The deactivate-on value ${quoted} is not an ISO date: ${allowed}`;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_USER_ID, parseUserId } from '../src/ids.js';

const MAX = 2n ** 63n - 1n;

describe('parseUserId', () => {
  it.each([
    ['1', '1'],
    ['4583173393803140', '4583173393803140'],
    ['48569348493401200', '48569348493401200'],
    ['9223372036854775807', '9223372036854775807'],
  ])('accepts the decimal string %s', (raw, id) => {
    expect(parseUserId(raw)).toEqual({ ok: true, value: id });
  });

  it('keeps every digit of a bigint above 2^53 (YAML intAsBigInt)', () => {
    expect(parseUserId(48569348493401200n)).toEqual({ ok: true, value: '48569348493401200' });
  });

  it('accepts a safe-integer number', () => {
    expect(parseUserId(4583173393803140)).toEqual({ ok: true, value: '4583173393803140' });
  });

  it('refuses an unsafe number, whose digits are already lost, and says to quote the ID', () => {
    const result = parseUserId(48569348493401200);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(/quote the ID/);
  });

  it.each([
    ['', /empty/],
    [' 123', /spaces/],
    ['123 ', /spaces/],
    ['+123', /sign/],
    ['-123', /sign/],
    ['0', /zero/],
    ['007', /leading zeros/],
    ['1e5', /exponent/],
    ['1.0', /decimal/],
    ['0x10', /another base/],
    ['0b101', /another base/],
    ['1_000', /separators/],
    ['1,000', /separators/],
    ['1234567890123456789012345', /25 digits/],
    ['9223372036854775808', /above 9223372036854775807/],
    ['9999999999999999999', /above/],
    ['jane@example.com', /looks like an email/],
    ['١٢٣', /digits 0-9/],
    ['12a', /digits 0-9/],
  ])('refuses %j, naming the value and what is allowed', (raw, why) => {
    const result = parseUserId(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatch(why);
    expect(result.problem).toContain(JSON.stringify(raw));
  });

  it.each([
    [0n, /zero/],
    [-5n, /sign/],
    [MAX + 1n, /above/],
    [1.5, /not a user ID/],
    [Number.NaN, /not a user ID/],
    [null, /empty value/i],
    [undefined, /empty value/i],
    [{ id: 1 }, /mapping/i],
    [[1], /list/i],
    [true, /boolean/],
  ])('refuses the value %s', (raw, why) => {
    const result = parseUserId(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(why);
  });

  it('says what is allowed', () => {
    const result = parseUserId('abc');
    expect(result).toEqual({
      ok: false,
      problem: `"abc" is not a user ID: it contains characters other than the digits 0-9; a user ID is a positive whole number of 1 to 19 digits, at most ${MAX_USER_ID}, with no sign, spaces or leading zeros`,
    });
  });

  it('shortens a huge value in its message', () => {
    const result = parseUserId('9'.repeat(100_000));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.length).toBeLessThan(400);
  });

  describe('properties', () => {
    const inRange = fc.bigInt({ min: 1n, max: MAX });

    it('round-trips any ID in range, as a string and as a bigint', () => {
      fc.assert(
        fc.property(inRange, (id) => {
          expect(parseUserId(id.toString())).toEqual({ ok: true, value: id.toString() });
          expect(parseUserId(id)).toEqual({ ok: true, value: id.toString() });
        }),
      );
    });

    it('refuses leading zeros', () => {
      fc.assert(
        fc.property(inRange, fc.integer({ min: 1, max: 5 }), (id, zeros) => {
          expect(parseUserId('0'.repeat(zeros) + id.toString()).ok).toBe(false);
        }),
      );
    });

    it('refuses signs', () => {
      fc.assert(
        fc.property(inRange, fc.constantFrom('+', '-'), (id, sign) => {
          expect(parseUserId(sign + id.toString()).ok).toBe(false);
        }),
      );
    });

    it('refuses anything above 2^63-1', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: MAX + 1n, max: 10n ** 30n }), (id) => {
          expect(parseUserId(id.toString()).ok).toBe(false);
          expect(parseUserId(id).ok).toBe(false);
        }),
      );
    });

    it('accepts a string only when it is the canonical form of a number in range', () => {
      fc.assert(
        fc.property(
          fc.string({ unit: fc.constantFrom('0', '1', '9', '+', '-', 'e', '.', ' ', 'x', '_') }),
          (raw) => {
            const result = parseUserId(raw);
            const canonical = /^[1-9][0-9]*$/.test(raw) && BigInt(raw) <= MAX;
            expect(result.ok).toBe(canonical);
            if (result.ok) expect(BigInt(result.value).toString()).toBe(raw);
          },
        ),
      );
    });
  });
});

import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collect, domainList, header, positiveInteger } from '../src/options.js';

describe('positiveInteger', () => {
  it('reads whole numbers from 1 up', () => {
    expect(positiveInteger('1')).toBe(1);
    expect(positiveInteger('300')).toBe(300);
  });

  it.each(['0', '-1', '1.5', '1e3', ' 2', '', 'ten', '007', '99999999999999999999'])(
    'refuses %j',
    (value) => {
      expect(() => positiveInteger(value)).toThrow(InvalidArgumentError);
      expect(() => positiveInteger(value)).toThrow(/whole number from 1 up/);
    },
  );
});

describe('collect', () => {
  it('keeps repeated values in order', () => {
    expect(collect('b', collect('a', undefined))).toEqual(['a', 'b']);
  });
});

describe('domainList', () => {
  it('splits, trims and joins repeated lists', () => {
    expect(domainList('c.com', domainList(' a.com, b.com ', undefined))).toEqual(['a.com', 'b.com', 'c.com']);
  });

  it.each(['', 'a.com,', ',a.com', 'a.com,,b.com'])('refuses an empty item in %j', (value) => {
    expect(() => domainList(value, undefined)).toThrow(/comma-separated list of domains/);
  });
});

describe('header', () => {
  it("reads 'Name: value' and trims the value", () => {
    expect(header('X-Trace:  abc ', undefined)).toEqual({ 'X-Trace': 'abc' });
    expect(header('X-Two: 2', header('X-One: a:b', undefined))).toEqual({ 'X-One': 'a:b', 'X-Two': '2' });
  });

  it.each(['no-colon', ': value', 'Two Words: x'])('refuses %j', (value) => {
    expect(() => header(value, undefined)).toThrow(/'Name: value'/);
  });

  it('refuses the same name twice, whatever its case', () => {
    expect(() => header('x-trace: 2', header('X-Trace: 1', undefined))).toThrow(
      /X?x-trace is already given/i,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ExactNumber, stringifyExact } from '../src/json.js';

describe('stringifyExact', () => {
  it('writes ExactNumbers as bare numbers with every digit, anywhere in the value', () => {
    const text = stringifyExact({
      id: new ExactNumber('48569348493401200'),
      nested: [{ id: new ExactNumber('9007199254740993') }],
    });
    expect(text).toBe('{"id":48569348493401200,"nested":[{"id":9007199254740993}]}');
  });

  it('leaves strings alone, even ones that look like its internal marker', () => {
    const sneaky = '\u0000exact-000000000000:123';
    expect(JSON.parse(stringifyExact({ name: sneaky, other: 'u0000exact-' }))).toEqual({
      name: sneaky,
      other: 'u0000exact-',
    });
  });

  it('is JSON.stringify for everything else', () => {
    const value = { a: 1.5, b: [true, null, 'x"y'], c: { d: -2 } };
    expect(stringifyExact(value)).toBe(JSON.stringify(value));
  });
});

import fc from 'fast-check';
import { isLosslessNumber, LosslessNumber, parse as losslessParse } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { numberText, parseLosslessJson } from '../src/response-body.js';

/** What lossless-json makes of the text, or the fact that it refuses it: the oracle. */
function oracle(text: string): { value: unknown } | { throws: true } {
  try {
    return { value: losslessParse(text) };
  } catch {
    return { throws: true };
  }
}

/**
 * A parsed value spelled out as nested arrays: kinds, exact number texts, prototypes, own keys in order.
 * (`toStrictEqual` cannot compare these itself: it reads `constructor`, which a parsed object may own.)
 */
function shape(value: unknown): unknown {
  if (isLosslessNumber(value))
    return ['number', Object.getPrototypeOf(value) === LosslessNumber.prototype, value.value];
  if (Array.isArray(value))
    return ['array', Object.getPrototypeOf(value) === Array.prototype, value.map(shape)];
  if (typeof value === 'object' && value !== null) {
    return [
      'object',
      Object.getPrototypeOf(value) === Object.prototype,
      Reflect.ownKeys(value).map((key) => {
        const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
        return [key, descriptor.enumerable, descriptor.writable, shape(descriptor.value)];
      }),
    ];
  }
  return [typeof value, value];
}

function expectSameAsOracle(text: string): void {
  const expected = oracle(text);
  if ('throws' in expected) expect(() => parseLosslessJson(text), text).toThrow(SyntaxError);
  else expect(shape(parseLosslessJson(text)), text).toEqual(shape(expected.value));
}

// JSON text built token by token, with what trips up a scanner: digits, quotes, backslashes, colons and
// `"id":` inside strings, escapes written as \uXXXX (\u0000 too), integers far above 2^53, repeated keys.
const space = fc.constantFrom('', ' ', '\n', '\t ', '\r\n  ');
const stringChar = fc.oneof(
  // One character each (the spread keeps the emoji, two UTF-16 units, whole).
  { arbitrary: fc.constantFrom(...'"\\:,{}[]-07e.\né😀'), weight: 8 },
  {
    arbitrary: fc.constantFrom('"id":', '"id": 48569348493401200', '\\"', '12345678901234567890'),
    weight: 4,
  },
  { arbitrary: fc.string({ maxLength: 3, unit: 'binary' }), weight: 4 },
  // A NUL, or text that reads as its escape, sends the whole text to lossless-json.
  { arbitrary: fc.constantFrom('\u0000', '\\u0000'), weight: 1 },
);
const rawString = fc.array(stringChar, { maxLength: 6 }).map((pieces) => pieces.join(''));
const unicodeEscape = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
/** The string as JSON text, some written with every character as a \uXXXX escape. */
const stringToken = fc
  .tuple(rawString, fc.boolean())
  .map(([text, escapeAll]) =>
    escapeAll
      ? `"${Array.from({ length: text.length }, (_, i) => unicodeEscape(text.charCodeAt(i))).join('')}"`
      : JSON.stringify(text),
  );
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const numberToken = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('0', '-0', '48569348493401200', '9223372036854775807', '9007199254740993', '1e400'),
  fc
    .tuple(
      fc.boolean(),
      fc.oneof(
        fc.constant('0'),
        fc.tuple(fc.constantFrom(...'123456789'), digits(0, 20)).map(([a, b]) => a + b),
      ),
      fc.option(digits(1, 20)),
      fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 4))),
    )
    .map(([negative, whole, fraction, exponent]) => {
      const sign = negative ? '-' : '';
      return `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${exponent?.join('') ?? ''}`;
    }),
);
const keyToken = fc.oneof(
  fc.constantFrom('"id"', '"email"', '"__proto__"', '"constructor"', '"0"', '"1"', '"\\u0069d"'),
  stringToken,
);
const { json: jsonText } = fc.letrec<{ json: string; value: string; object: string; array: string }>(
  (tie) => ({
    json: fc.tuple(space, tie('value'), space).map((parts) => parts.join('')),
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      stringToken,
      numberToken,
      fc.constantFrom('true', 'false', 'null'),
      tie('object'),
      tie('array'),
    ),
    object: fc
      .array(fc.tuple(space, keyToken, space, space, tie('value'), space), { maxLength: 5 })
      .map(
        (members) =>
          `{${members.map(([a, key, b, c, value, d]) => `${a}${key}${b}:${c}${value}${d}`).join(',')}}`,
      ),
    array: fc
      .array(fc.tuple(space, tie('value'), space), { maxLength: 5 })
      .map((items) => `[${items.map((parts) => parts.join('')).join(',')}]`),
  }),
);

describe('parseLosslessJson', () => {
  it('keeps IDs above 2^53 exact, as decimal text', () => {
    const body = '{"data":[{"id":48569348493401200,"email":"a@example.com"},{"id":9223372036854775807}]}';
    const parsed = parseLosslessJson(body) as { data: { id: unknown }[] };
    expect(parsed.data.map((user) => numberText(user.id))).toEqual([
      '48569348493401200',
      '9223372036854775807',
    ]);
    expect(isLosslessNumber(parsed.data[0]!.id)).toBe(true);
  });

  it.each([
    ['digits, colons and look-alike keys inside strings', '{"note":"id: 123, \\"id\\": 456","id":7}'],
    ['escaped quotes and backslashes before a number', '["a\\\\",1,"b\\"",2.5e-3,"\\\\\\"",-0]'],
    ['a top-level number', ' 48569348493401201 '],
    ['a \\u0000 escape (parsed by lossless-json alone)', '{"a":"\\u0000123","b":48569348493401201}'],
    ['equal repeated keys, which lossless-json accepts', '{"id":1,"id":1}'],
    ['a key spelled with an escape', '{"\\u0069d":5}'],
    ['nested values', '{"a":{"b":[1,{"c":[true,false,null,"x"]}]},"d":[]}'],
  ])('matches lossless-json on %s', (_, text) => expectSameAsOracle(text));

  it.each([
    ['a key given twice with different values', '{"id":48569348493401200,"id":48569348493401201}'],
    ['a key given twice, nested', '[{"a":{"x":1,"x":2}}]'],
    ['a number as a key', '{1:2}'],
    ['a number as a key, spaced', '{ 12 \n: 2}'],
    ['a leading zero', '[01]'],
    ['a bare minus', '[-]'],
    ['a trailing dot', '[1.]'],
    ['an unterminated string', '["abc'],
    ['a raw control character in a string', '["a\u0000b"]'],
    ['a trailing comma', '[1,]'],
    ['nothing', ''],
  ])('refuses %s, as lossless-json does', (_, text) => {
    expect(oracle(text)).toEqual({ throws: true });
    expect(() => parseLosslessJson(text)).toThrow(SyntaxError);
  });

  it('keeps __proto__ an ordinary key, never the prototype', () => {
    const parsed = parseLosslessJson('{"__proto__":{"admin":true},"n":1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'n']);
    expect((parsed as { admin?: unknown }).admin).toBeUndefined();
    expectSameAsOracle('{"__proto__":{"admin":true},"n":1}');
  });

  it('equals lossless-json on any valid JSON text', () => {
    fc.assert(fc.property(jsonText, expectSameAsOracle), { numRuns: 2000 });
  });

  it('equals lossless-json on JSON of any value JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (value, indent) =>
        expectSameAsOracle(JSON.stringify(value, null, indent)),
      ),
      { numRuns: 500 },
    );
  });

  it('refuses what lossless-json refuses, and equals it otherwise, on text that is mostly not JSON', () => {
    const token = fc.constantFrom(...'{}[]:," \\01-.eE+u9atrufalsn', '"id"', 'true', 'null', '\\u0000');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => expectSameAsOracle(tokens.join(''))),
      { numRuns: 3000 },
    );
  });

  it('equals lossless-json when valid JSON is cut short or has a character changed', () => {
    fc.assert(
      fc.property(jsonText, fc.nat(), fc.constantFrom('', '"', ':', '1', '{', ','), (text, at, insert) => {
        const cut = at % (text.length + 1);
        expectSameAsOracle(text.slice(0, cut));
        expectSameAsOracle(text.slice(0, cut) + insert + text.slice(cut + 1));
      }),
      { numRuns: 1000 },
    );
  });
});

import { ISP_DOMAINS as SIMULATOR_ISP_DOMAINS } from '@smartsheet-offboard/simulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emailDomain,
  emailKey,
  emailSpellings,
  normalizeDomain,
  normalizeEmail,
  SMARTSHEET_ISP_DOMAINS,
} from '../src/emails.js';

function problemOf(raw: unknown): string {
  const result = normalizeEmail(raw);
  if (result.ok) throw new Error(`expected ${String(raw)} to be refused, got ${result.value.email}`);
  return result.problem;
}

describe('SMARTSHEET_ISP_DOMAINS', () => {
  it('holds the 17 domains Smartsheet names, normalised', () => {
    expect(SMARTSHEET_ISP_DOMAINS).toHaveLength(17);
    expect(SMARTSHEET_ISP_DOMAINS).toContain('gmail.com');
    expect(SMARTSHEET_ISP_DOMAINS).toContain('web.de');
    expect(SMARTSHEET_ISP_DOMAINS).toContain('mail.ru');
    for (const domain of SMARTSHEET_ISP_DOMAINS)
      expect(normalizeDomain(domain)).toEqual({ ok: true, value: domain });
  });

  it('is the list the simulator refuses with 1359: the two are kept equal', () => {
    expect([...SIMULATOR_ISP_DOMAINS].sort()).toEqual([...SMARTSHEET_ISP_DOMAINS].sort());
  });
});

describe('normalizeEmail', () => {
  it.each([
    ['jane.doe@example.com', 'jane.doe@example.com', 'example.com'],
    ['  Jane.Doe@Example.COM \n', 'jane.doe@example.com', 'example.com'],
    ['jane@example.com.', 'jane@example.com', 'example.com'],
    ['jane+hr@sub.example.co.uk', 'jane+hr@sub.example.co.uk', 'sub.example.co.uk'],
    ['jane@bücher.de', 'jane@xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['jane@xn--bcher-kva.de', 'jane@xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['jane@例え.jp', 'jane@xn--r8jz45g.jp', 'xn--r8jz45g.jp'],
    ['jane@ｇｍａｉｌ.com', 'jane@gmail.com', 'gmail.com'],
    ["o'brien@example.com", "o'brien@example.com", 'example.com'],
  ])('normalises %j', (raw, email, domain) => {
    expect(normalizeEmail(raw)).toEqual({ ok: true, value: { email, domain } });
  });

  it.each([
    ['', /empty/],
    ['jane', /no @/],
    ['jane@@example.com', /more than one @/],
    ['a@b@example.com', /more than one @/],
    ['@example.com', /nothing comes before/],
    ['jane@', /domain is empty/],
    ['jane@example', /has no dot/],
    ['jane@example..com', /not a valid domain|empty part/],
    ['jane@-example.com', /inner hyphens/],
    ['jane@exa_mple.com', /inner hyphens/],
    ['jane@1.2.3.4', /ends in a number/],
    ['jane@[1.2.3.4]', /not a valid domain/],
    ['ja ne@example.com', /space/],
    ['jane@exa mple.com', /space/],
    ['.jane@example.com', /dot/],
    ['ja..ne@example.com', /dot/],
    ['"jane"@example.com', /may only hold/],
    ['jöne@example.com', /may only hold/],
    [`${'a'.repeat(65)}@example.com`, /longer than 64/],
    [`jane@${'a'.repeat(64)}.com`, /inner hyphens|at most 63/],
    [`jane@${Array.from({ length: 60 }, () => 'abcd').join('.')}.com`, /longer than 253/],
    [`${'a'.repeat(64)}@${Array.from({ length: 38 }, () => 'abcde').join('.')}.com`, /longer than 254/],
  ])('refuses %j, naming the value', (raw, why) => {
    const problem = problemOf(raw);
    expect(problem).toMatch(why);
    if (raw !== '') expect(problem).toContain(JSON.stringify(raw.slice(0, 80)).slice(0, 20));
  });

  it('refuses what is not text', () => {
    expect(problemOf(42)).toMatch(/text/);
    expect(problemOf(undefined)).toMatch(/text/);
  });

  it('refuses gmail.com written with a Cyrillic а, saying what it mimics', () => {
    const problem = problemOf('jane@gmаil.com');
    expect(problem).toContain('"jane@gmаil.com"');
    expect(problem).toMatch(/mixes Latin and Cyrillic letters/);
    expect(problem).toContain('xn--gmil-63d.com');
    expect(problem).toMatch(/looks like gmail\.com/);
  });

  it('refuses the same look-alike given in punycode', () => {
    expect(problemOf('jane@xn--gmil-63d.com')).toMatch(
      /mixes Latin and Cyrillic letters.*looks like gmail\.com/,
    );
  });

  it('refuses a Greek ο in outlook.com and a look-alike top-level label', () => {
    expect(problemOf('jane@outlοok.com')).toMatch(/Latin and Greek.*looks like outlook\.com/);
    expect(problemOf('jane@gmail.соm')).toMatch(/Latin and Cyrillic.*looks like gmail\.com/);
    // Each label is one script here, but the Cyrillic one reads as "scope" next to a Latin "com".
    expect(problemOf('jane@ѕсоре.com')).toMatch(
      /mixes Latin and Cyrillic letters \(xn--.*looks like scope\.com/,
    );
  });

  it('accepts domains written wholly in one script, and Latin with Japanese', () => {
    expect(normalizeEmail('jane@пример.рф').ok).toBe(true);
    expect(normalizeEmail('jane@παράδειγμα.gr').ok).toBe(true);
    expect(normalizeEmail('jane@東京abc.jp').ok).toBe(true);
  });

  it('shows an invisible character in its message as an escape, not as itself', () => {
    const problem = problemOf('ja\u200bne@example.com');
    expect(problem).toContain('"ja\\u200bne@example.com"');
    expect(problem).not.toContain('\u200b');
  });

  describe('properties', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
    const tld = fc.stringMatching(/^[a-z]{2,6}$/);
    const domain = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld)
      .map(([labels, top]) => [...labels, top].join('.'));
    const local = fc.stringMatching(/^[a-z0-9_+-]{1,10}(\.[a-z0-9_+-]{1,10}){0,2}$/);
    const email = fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`);
    const anyText = fc.string({ maxLength: 40 });

    it('is idempotent on anything it accepts', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            email,
            anyText,
            fc.tuple(anyText, domain).map(([l, d]) => `${l}@${d}`),
          ),
          (raw) => {
            const first = normalizeEmail(raw);
            if (!first.ok) return;
            expect(normalizeEmail(first.value.email)).toEqual(first);
          },
        ),
      );
    });

    it('accepts every generated address unchanged and ignores case and padding', () => {
      fc.assert(
        fc.property(email, fc.boolean(), (address, pad) => {
          const shouted = pad ? `  ${address.toUpperCase()}. ` : address.toUpperCase();
          expect(normalizeEmail(address)).toEqual({
            ok: true,
            value: { email: address, domain: emailDomain(address) },
          });
          expect(normalizeEmail(shouted)).toEqual(normalizeEmail(address));
        }),
      );
    });

    it('never accepts an address without exactly one @', () => {
      fc.assert(
        fc.property(anyText, (raw) => {
          const result = normalizeEmail(raw);
          if (result.ok) expect(result.value.email.split('@')).toHaveLength(2);
          if ((raw.match(/@/g)?.length ?? 0) !== 1) expect(result.ok).toBe(false);
        }),
      );
    });
  });
});

describe('normalizeDomain', () => {
  it('normalises case, a trailing dot and IDN', () => {
    expect(normalizeDomain(' Example.COM. ')).toEqual({ ok: true, value: 'example.com' });
    expect(normalizeDomain('Bücher.de')).toEqual({ ok: true, value: 'xn--bcher-kva.de' });
  });

  it('refuses what is not a domain, naming it', () => {
    const result = normalizeDomain('example');
    expect(result).toEqual({
      ok: false,
      problem: '"example" is not a domain name: the domain "example" has no dot',
    });
    expect(normalizeDomain('gmаil.com')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/looks like gmail\.com/),
    });
  });

  it.each([
    ['0x7f.1', 'ends in a number'],
    ['a.0x1f', 'is not a valid domain name'],
    ['1.2.3.4', 'ends in a number'],
    ['xn--abc.com', 'is not a valid domain name'],
    ['-a.com', 'may only hold letters, digits and inner hyphens'],
    ['a..com', 'has an empty part between dots'],
    ['exa_mple.com', 'may only hold letters, digits and inner hyphens'],
    [`${'x'.repeat(64)}.com`, 'may only hold letters, digits and inner hyphens'],
    [`${'a.'.repeat(126)}com`, 'is longer than 253 characters'],
  ])('refuses the lower-case ASCII name %j (%s)', (domain, why) => {
    expect(normalizeDomain(domain)).toMatchObject({ ok: false, problem: expect.stringContaining(why) });
  });

  it('gives a lower-case ASCII name what the IDNA path gives the same name in capitals', () => {
    // Capitals always take the IDNA path (domainToASCII lower-cases them); lower case may skip it.
    const label = fc.stringMatching(/^[a-z0-9-]{0,8}$/);
    const name = fc
      .array(fc.oneof(label, fc.constantFrom('xn--', 'xn--bcher-kva', '0x1f', '-', '')), {
        minLength: 1,
        maxLength: 5,
      })
      .map((labels) => labels.join('.'));
    fc.assert(
      fc.property(name, fc.boolean(), (domain, trailingDot) => {
        const given = trailingDot ? `${domain}.` : domain;
        const viaIdna = normalizeDomain(given.toUpperCase());
        const result = normalizeDomain(given);
        expect(result.ok).toBe(viaIdna.ok);
        if (result.ok && viaIdna.ok) expect(result.value).toBe(viaIdna.value);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('emailKey (emails from Smartsheet, compared with target emails)', () => {
  it('gives the form normalizeEmail gives a target: case, IDN and a trailing dot do not matter', () => {
    for (const [fromSmartsheet, target] of [
      ['Jane.Doe@Example.COM', 'jane.doe@example.com'],
      ['JANE@BÜCHER.DE', 'jane@bücher.de'],
      ['jane@xn--bcher-kva.de', 'Jane@Bücher.de'],
      ['jane@example.com.', 'jane@example.com'],
    ]) {
      const normalized = normalizeEmail(target);
      expect(normalized.ok && normalized.value.email).toBe(emailKey(fromSmartsheet!));
    }
  });

  it('still compares an address normalizeEmail would refuse, case-insensitively, instead of dropping it', () => {
    expect(emailKey(' Odd Name@Example.com ')).toBe('odd name@example.com');
    expect(emailKey('"quoted"@Example.com')).toBe('"quoted"@example.com');
  });
});

describe('emailSpellings', () => {
  it('asks for an internationalised domain in both spellings, and for any other email once', () => {
    expect(emailSpellings('jane@xn--bcher-kva.de')).toEqual(['jane@xn--bcher-kva.de', 'jane@bücher.de']);
    expect(emailSpellings('jane@mail.xn--r8jz45g.jp')).toEqual([
      'jane@mail.xn--r8jz45g.jp',
      'jane@mail.例え.jp',
    ]);
    expect(emailSpellings('jane.doe@example.com')).toEqual(['jane.doe@example.com']);
  });
});

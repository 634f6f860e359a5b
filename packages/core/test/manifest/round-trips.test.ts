import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOffboardingFile } from '../../src/manifest/index.js';
import type { Target } from '../../src/types.js';

describe('parseOffboardingFile: round trips (property-based)', () => {
  const MAX = 2n ** 63n - 1n;
  const idArb = fc.bigInt({ min: 1n, max: MAX }).map(String);
  // Hyphens in a label's third and fourth places are reserved for IDNA (`xn--…`, RFC 5891 4.2.3.1):
  // such a label is rightly refused, so the valid files these properties build never have one.
  const label = fc
    .stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/)
    .filter((name) => name.slice(2, 4) !== '--');
  const emailArb = fc
    .tuple(
      fc.stringMatching(/^[a-z0-9_][a-z0-9_+]{0,7}(\.[a-z0-9_]{1,8})?$/),
      label,
      fc.stringMatching(/^[a-z]{2,5}$/),
      fc.boolean(),
    )
    .map(([local, name, tld, shout]) =>
      shout ? `${local}@${name}.${tld}`.toUpperCase() : `${local}@${name}.${tld}`,
    );
  const reasonArb = fc.stringMatching(/^[A-Za-z]([A-Za-z ,"\n]{0,15}[A-Za-z])?$/);

  interface Spec {
    id?: string;
    email?: string;
    reason?: string;
  }
  const specArb: fc.Arbitrary<Spec> = fc
    .record({
      id: fc.option(idArb, { nil: undefined }),
      email: fc.option(emailArb, { nil: undefined }),
      reason: fc.option(reasonArb, { nil: undefined }),
    })
    .filter((spec) => spec.id !== undefined || spec.email !== undefined)
    .map(
      (spec) => Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined)) as Spec,
    );
  const specsArb = fc.array(specArb, { minLength: 1, maxLength: 15 }).filter((specs) => {
    const ids = specs.flatMap((spec) => (spec.id ? [spec.id] : []));
    const emails = specs.flatMap((spec) => (spec.email ? [spec.email.toLowerCase()] : []));
    return new Set(ids).size === ids.length && new Set(emails).size === emails.length;
  });
  /** Blank lines and comments to put before an entry (formats that allow them). */
  const paddingArb = fc.array(fc.constantFrom('', '# note'), { maxLength: 2 });

  function expected(file: string, specs: readonly Spec[], lines: readonly number[]): Target[] {
    return specs.map((spec, index) => ({
      ...(spec.id !== undefined && { id: spec.id }),
      ...(spec.email !== undefined && { email: spec.email.toLowerCase() }),
      given: (spec.id ?? spec.email)!,
      ...(spec.reason !== undefined && { note: { reason: spec.reason } }),
      source: { file, line: lines[index]! },
    }));
  }

  it('YAML: any list written as mappings or bare values parses back, line for line', () => {
    fc.assert(
      fc.property(specsArb, fc.array(fc.tuple(paddingArb, fc.boolean(), fc.boolean())), (specs, styles) => {
        const out = ['users:'];
        const lines: number[] = [];
        specs.forEach((spec, index) => {
          const [padding, bare, quoteId] = styles[index] ?? [[], false, false];
          out.push(...padding);
          lines.push(out.length + 1);
          const id = spec.id && (quoteId ? `"${spec.id}"` : spec.id);
          if (bare && spec.reason === undefined && !(spec.id && spec.email)) {
            out.push(`  - ${id ?? spec.email}`);
            return;
          }
          const fields = [
            ...(id ? [`id: ${id}`] : []),
            ...(spec.email ? [`email: ${spec.email}`] : []),
            ...(spec.reason !== undefined ? [`reason: ${JSON.stringify(spec.reason)}`] : []),
          ];
          out.push(`  - ${fields[0]}`, ...fields.slice(1).map((field) => `    ${field}`));
        });
        const parsed = parseOffboardingFile('list.yaml', `${out.join('\n')}\n`);
        expect(parsed.findings).toEqual([]);
        expect(parsed.targets).toEqual(expected('list.yaml', specs, lines));
      }),
    );
  });

  it('JSON: any list with bare or quoted numeric IDs parses back, line for line', () => {
    fc.assert(
      fc.property(specsArb, fc.array(fc.boolean()), (specs, quoted) => {
        const body = specs.map((spec, index) => {
          const id = spec.id && (quoted[index] ? `"${spec.id}"` : spec.id);
          const fields = [
            ...(id ? [`"id": ${id}`] : []),
            ...(spec.email ? [`"email": ${JSON.stringify(spec.email)}`] : []),
            ...(spec.reason !== undefined ? [`"reason": ${JSON.stringify(spec.reason)}`] : []),
          ];
          return `    { ${fields.join(', ')} }`;
        });
        const text = `{\n  "users": [\n${body.join(',\n')}\n  ]\n}\n`;
        const parsed = parseOffboardingFile('list.json', text);
        expect(parsed.findings).toEqual([]);
        expect(parsed.targets).toEqual(
          expected(
            'list.json',
            specs,
            specs.map((_, index) => index + 3),
          ),
        );
      }),
    );
  });

  it('CSV: any list, reasons with commas, quotes and line breaks included, parses back at each record start', () => {
    fc.assert(
      fc.property(specsArb, fc.boolean(), (specs, crlf) => {
        const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
        const rows = ['email,id,reason'];
        const lines: number[] = [];
        let line = 2;
        for (const spec of specs) {
          lines.push(line);
          const reason = spec.reason === undefined ? '' : quote(spec.reason);
          rows.push(`${spec.email ?? ''},${spec.id ?? ''},${reason}`);
          line += 1 + (spec.reason?.match(/\n/g)?.length ?? 0);
        }
        const text = `${rows.join('\n')}\n`;
        const parsed = parseOffboardingFile('list.csv', crlf ? text.replace(/\n/g, '\r\n') : text);
        expect(parsed.findings).toEqual([]);
        expect(parsed.targets).toEqual(expected('list.csv', specs, lines));
      }),
    );
  });

  it('text: any list of IDs and emails, with comments and blank lines, parses back line for line', () => {
    fc.assert(
      fc.property(specsArb, fc.array(paddingArb), (specs, paddings) => {
        const single = specs.map((spec) => (spec.id ? { id: spec.id } : { email: spec.email! }));
        const out: string[] = [];
        const lines: number[] = [];
        single.forEach((spec, index) => {
          out.push(...(paddings[index] ?? []));
          lines.push(out.length + 1);
          out.push(spec.id ?? spec.email);
        });
        const parsed = parseOffboardingFile('list.txt', `${out.join('\n')}\n`);
        expect(parsed.findings).toEqual([]);
        expect(parsed.targets).toEqual(expected('list.txt', single, lines));
      }),
    );
  });
});

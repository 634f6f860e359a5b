import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeOfTargets, changeSet, entryKey, sameEntries } from '../src/change-set.js';
import type { Target } from '../src/types.js';

const FILE = 'offboarding/2026-11.yaml';
const yaml = (...lines: string[]) => ['users:', ...lines, ''].join('\n');
const givens = (targets: readonly Target[]) => targets.map((target) => target.given);

describe('changeSet', () => {
  it('a branch made before main removed Carol adds only Dave (the stale-head attack)', () => {
    const mergeBase = yaml('  - carol@example.com', '  - erin@example.com');
    const head = yaml('  - carol@example.com', '  - erin@example.com', '  - dave@example.com');
    const change = changeSet([{ path: FILE, content: mergeBase }], [{ path: FILE, content: head }]);
    expect(givens(change.added)).toEqual(['dave@example.com']);
    expect(change.added[0]?.source).toEqual({ file: FILE, line: 4 });
    expect(givens(change.kept)).toEqual(['carol@example.com', 'erin@example.com']);
    expect(change.removed).toEqual([]);
  });

  it('a file renamed into archive/ adds nobody (compared with its previous path)', () => {
    const content = yaml('  - carol@example.com', '  - id: 4583173393803140');
    const change = changeSet(
      [{ path: FILE, content }],
      [{ path: 'offboarding/archive/2026-11.yaml', content }],
    );
    expect(change.added).toEqual([]);
    expect(change.kept).toHaveLength(2);
  });

  it('re-wording a reason or ticket, moving lines and changing the format add nobody', () => {
    const before = yaml('  - email: carol@example.com', '    reason: Left', '  - id: 4583173393803140');
    const after = yaml(
      '  - id: "4583173393803140"',
      '    ticket: HR-9',
      '  - email: Carol@Example.COM',
      '    reason: Left the company',
    );
    const change = changeSet([{ path: FILE, content: before }], [{ path: FILE, content: after }]);
    expect(change.added).toEqual([]);
    expect(change.removed).toEqual([]);
  });

  it('an entry moved to another file of the change is not added', () => {
    const change = changeSet(
      [{ path: 'offboarding/a.txt', content: 'carol@example.com\nerin@example.com\n' }],
      [
        { path: 'offboarding/a.txt', content: 'erin@example.com\n' },
        { path: 'offboarding/b.csv', content: 'email,reason\ncarol@example.com,moved\n' },
      ],
    );
    expect(change.added).toEqual([]);
    expect(change.removed).toEqual([]);
  });

  it('a removed entry is only reported as removed, never a target', () => {
    const change = changeSet(
      [{ path: FILE, content: yaml('  - carol@example.com', '  - erin@example.com') }],
      [{ path: FILE, content: yaml('  - erin@example.com') }],
    );
    expect(change.added).toEqual([]);
    expect(givens(change.removed)).toEqual(['carol@example.com']);
  });

  it('changing the email or ID of an entry names someone else: added (and the old one removed)', () => {
    const change = changeSet(
      [{ path: FILE, content: yaml('  - sam@example.com') }],
      [{ path: FILE, content: yaml('  - email: sam@example.com', '    id: 4583173393803140') }],
    );
    expect(change.added.map(entryKey)).toEqual(['id:4583173393803140 email:sam@example.com']);
    expect(change.removed.map(entryKey)).toEqual(['email:sam@example.com']);
  });

  it('changing a leave date (or the file default) asks for something else: added; rewriting the moment is not', () => {
    const before = yaml(
      '  - email: sam@example.com',
      '    deactivate-on: 2026-12-15',
      '  - erin@example.com',
    );
    const later = changeSet(
      [{ path: FILE, content: before }],
      [
        {
          path: FILE,
          content: yaml(
            '  - email: sam@example.com',
            '    deactivate-on: 2026-12-10',
            '  - erin@example.com',
          ),
        },
      ],
    );
    expect(givens(later.added)).toEqual(['sam@example.com']);
    expect(later.added.map(entryKey)).toEqual(['email:sam@example.com on:2026-12-10T00:00:00.000Z']);
    expect(givens(later.removed)).toEqual(['sam@example.com']);
    // Dropping the date makes the entry due at once: reviewers must see that too.
    const dropped = changeSet(
      [{ path: FILE, content: before }],
      [{ path: FILE, content: yaml('  - sam@example.com', '  - erin@example.com') }],
    );
    expect(givens(dropped.added)).toEqual(['sam@example.com']);
    const defaulted = changeSet(
      [{ path: FILE, content: before }],
      [
        {
          path: FILE,
          content: `deactivate-on: 2027-01-04\n${yaml('  - email: sam@example.com', '    deactivate-on: 2026-12-15', '  - erin@example.com')}`,
        },
      ],
    );
    expect(givens(defaulted.added)).toEqual(['erin@example.com']);
    const sameMoment = changeSet(
      [{ path: FILE, content: before }],
      [
        {
          path: FILE,
          content: yaml(
            '  - email: sam@example.com',
            '    deactivate-on: "2026-12-15T01:00:00+01:00"',
            '  - erin@example.com',
          ),
        },
      ],
    );
    expect(sameMoment.added).toEqual([]);
  });

  it('an added file adds all its entries; its problems are findings, those of the old version are not', () => {
    const added = changeSet([], [{ path: FILE, content: yaml('  - carol@example.com') }]);
    expect(givens(added.added)).toEqual(['carol@example.com']);
    const invalid = changeSet(
      [{ path: FILE, content: 'users:\n  - id: 12abc\n  - carol@example.com\n' }],
      [{ path: FILE, content: yaml('  - carol@example.com', '  - id: 12x') }],
    );
    expect(invalid.findings.map((finding) => [finding.line, finding.code])).toEqual([[3, 'malformed-id']]);
    expect(invalid.added).toEqual([]);
  });

  it('the same person in two files after the change is a finding', () => {
    const change = changeSet(
      [],
      [
        { path: 'offboarding/a.txt', content: 'carol@example.com\n' },
        { path: 'offboarding/b.txt', content: 'CAROL@example.com\n' },
      ],
    );
    expect(change.findings.map((finding) => [finding.file, finding.code])).toEqual([
      ['offboarding/b.txt', 'duplicate'],
    ]);
  });
});

describe('changeOfTargets (properties)', () => {
  const target = fc
    .record({
      id: fc.option(fc.constantFrom('1', '2', '3'), { nil: undefined }),
      email: fc.option(fc.constantFrom('a@x.com', 'b@x.com'), { nil: undefined }),
    })
    .map(
      ({ id, email }): Target => ({
        ...(id === undefined ? {} : { id }),
        ...(email === undefined ? {} : { email }),
        given: email ?? id ?? 'nobody',
        source: { file: FILE, line: 1 },
      }),
    );

  it('splits what comes after into added and kept; added names nobody of before; removed nobody of after', () => {
    fc.assert(
      fc.property(fc.array(target), fc.array(target), (before, after) => {
        const { added, kept, removed } = changeOfTargets(before, after);
        const beforeKeys = new Set(before.map(entryKey));
        const afterKeys = new Set(after.map(entryKey));
        expect(added.length + kept.length).toBe(after.length);
        expect(added.every((entry) => !beforeKeys.has(entryKey(entry)))).toBe(true);
        expect(kept.every((entry) => beforeKeys.has(entryKey(entry)))).toBe(true);
        expect(removed.every((entry) => !afterKeys.has(entryKey(entry)))).toBe(true);
        // A change and its reverse: what one adds, the other removes.
        expect(new Set(changeOfTargets(after, before).removed.map(entryKey))).toEqual(
          new Set(added.map(entryKey)),
        );
      }),
    );
  });
});

describe('sameEntries', () => {
  const entries = (content: string) => changeSet([], [{ path: 'offboarding/x.txt', content }]).added;
  it('compares the people named, not their order or notes', () => {
    expect(sameEntries(entries('a@x.com\nb@x.com\n'), entries('B@x.com\na@x.com\n'))).toBe(true);
    expect(sameEntries(entries('a@x.com\n'), entries('a@x.com\nb@x.com\n'))).toBe(false);
    expect(sameEntries(entries('a@x.com\nb@x.com\n'), entries('a@x.com\n'))).toBe(false);
    expect(sameEntries(entries('a@x.com\n'), entries('c@x.com\n'))).toBe(false);
  });
});

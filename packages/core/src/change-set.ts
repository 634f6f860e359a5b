import { leaveDateTime } from './leave-dates.js';
import { crossCheckTargets, parseOffboardingFile } from './manifest/index.js';
import type { Finding, Target } from './types.js';

/** An offboarding file as read at one commit. */
export interface OffboardingFileVersion {
  path: string;
  content: string | Uint8Array;
}

/**
 * What a change does to the entries of offboarding files. Only `added` entries are ever targets: an entry
 * that was already there (unchanged, moved to another line or file, or with a re-worded reason or ticket)
 * was reviewed and applied when it was added, and applying it again would offboard people rehired since.
 */
export interface ChangeSet {
  /** Entries after the change whose person no entry before the change named, in file order. */
  added: Target[];
  /** Entries after the change whose person was already named before it. */
  kept: Target[];
  /** Entries before the change whose person no entry after it names. Never reactivated. */
  removed: Target[];
  /** Problems in the files after the change (those before it were someone else's change). */
  findings: Finding[];
}

/**
 * What an entry asks for, as a key to compare versions by: the person (its ID and its email, both when both
 * are given) and the moment its leave date names, when it has one. Reason, ticket and where the entry stands
 * are not part of it. An entry that changes its ID or email names a (possibly) different person, and one that
 * changes its leave date asks for something else than reviewers approved: either counts as removed and added,
 * and reviewers see it in the plan. The date is compared as a moment, so rewriting `2026-12-15` as
 * `2026-12-15T00:00:00Z` changes nothing.
 */
export function entryKey(target: Pick<Target, 'id' | 'email' | 'given' | 'deactivateOn'>): string {
  const person =
    target.id === undefined && target.email === undefined
      ? `given:${target.given}`
      : [
          target.id === undefined ? '' : `id:${target.id}`,
          target.email === undefined ? '' : `email:${target.email}`,
        ]
          .filter((part) => part !== '')
          .join(' ');
  if (target.deactivateOn === undefined) return person;
  const at = leaveDateTime(target.deactivateOn);
  return `${person} on:${at === undefined ? target.deactivateOn : new Date(at).toISOString()}`;
}

/** The change set of two lists of entries (each already parsed and validated). */
export function changeOfTargets(
  before: readonly Target[],
  after: readonly Target[],
): Omit<ChangeSet, 'findings'> {
  const beforeKeys = new Set(before.map(entryKey));
  const afterKeys = new Set(after.map(entryKey));
  return {
    added: after.filter((target) => !beforeKeys.has(entryKey(target))),
    kept: after.filter((target) => beforeKeys.has(entryKey(target))),
    removed: before.filter((target) => !afterKeys.has(entryKey(target))),
  };
}

/**
 * The change set between two versions of a set of offboarding files: `before` as they were at the merge
 * base (a renamed file under its previous path, an added file absent), `after` as the change leaves them.
 * Entries are compared across all the files, so an entry moved from one file to another is not added.
 * Every file after the change is validated (nothing may be applied while one is invalid); a file before it
 * that no longer parses only contributes the entries that still do.
 */
export function changeSet(
  before: readonly OffboardingFileVersion[],
  after: readonly OffboardingFileVersion[],
): ChangeSet {
  const parse = (files: readonly OffboardingFileVersion[]) => {
    const parsed = files.map((file) => parseOffboardingFile(file.path, file.content));
    return {
      targets: parsed.flatMap((file) => file.targets),
      findings: parsed.flatMap((file) => file.findings),
    };
  };
  const previous = parse(before);
  const next = parse(after);
  return {
    ...changeOfTargets(previous.targets, next.targets),
    findings: [...next.findings, ...crossCheckTargets(next.targets)],
  };
}

/**
 * Whether two lists name the same people: what a merge commit adds must be what the approved head added,
 * or the merge carries entries nobody approved (or drops approved ones).
 */
export function sameEntries(a: readonly Target[], b: readonly Target[]): boolean {
  const keys = new Set(a.map(entryKey));
  const other = new Set(b.map(entryKey));
  return keys.size === other.size && [...keys].every((key) => other.has(key));
}

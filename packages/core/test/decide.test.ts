import { CALLER } from '@smartsheet-offboard/testkit/orgs';
import { describe, expect, it } from 'vitest';
import { decideEntries } from '../src/decide.js';
import { eligibilityContext } from '../src/eligibility.js';
import { Directory, matchTarget } from '../src/resolve.js';
import type { SmartsheetUser, Target } from '../src/types.js';
import { byEmail, byId } from './support/org.js';

describe('decideEntries (pure)', () => {
  const users: SmartsheetUser[] = [
    { id: '21', email: 'a@example.com', status: 'ACTIVE' },
    { id: '22', email: 'b@example.com', status: 'ACTIVE' },
    { id: '23', email: 'c@example.com', status: 'ACTIVE' },
  ];
  const directory = new Directory(users);
  const decide = (targets: Target[], max: number) =>
    decideEntries(
      'deactivate',
      targets,
      eligibilityContext({}, CALLER),
      (target) => matchTarget(target, directory, new Map())!,
      max,
      new Date(),
    );

  it('counts a user named twice once against the limit: one entry naming both targets', () => {
    const entries = decide([byId('21'), byEmail('a@example.com'), byId('22')], 2);
    expect(entries.map((entry) => [entry.user?.id, entry.outcome, entry.alsoNamedBy?.length])).toEqual([
      ['21', 'would-deactivate', 1],
      ['22', 'would-deactivate', undefined],
    ]);
    expect(entries[0]!.alsoNamedBy![0]!.email).toBe('a@example.com');
  });

  it('over the limit, blocks every change with over-limit and a message naming the count and the cap', () => {
    const entries = decide([byId('21'), byId('22'), byId('23'), byEmail('nobody@example.com')], 2);
    expect(entries.map((entry) => [entry.outcome, entry.reason])).toEqual([
      ['blocked', 'over-limit'],
      ['blocked', 'over-limit'],
      ['blocked', 'over-limit'],
      ['not-found', undefined],
    ]);
    expect(entries[0]!.message).toMatch(/3 users, over the limit of 2/);
    // Core names its own option unless the caller says what it calls it.
    expect(entries[0]!.message).toMatch(/raise the limit \(maxDeactivations\)/);
  });

  it("names the limit the way the caller does, from the plan options' labels", () => {
    const entries = decideEntries(
      'deactivate',
      [byId('21'), byId('22')],
      eligibilityContext({ labels: { maxDeactivations: '--max-deactivations' } }, CALLER),
      (target) => matchTarget(target, directory, new Map())!,
      1,
      new Date(),
    );
    expect(entries[0]!.message).toMatch(/raise the limit \(--max-deactivations\) to at least 2/);
  });

  it('reactivation: deactivated users would be reactivated, active ones are already active', () => {
    const reactivation = new Directory([
      { id: '31', email: 'x@example.com', status: 'DEACTIVATED' },
      { id: '32', email: 'y@example.com', status: 'ACTIVE' },
      { id: '33', email: 'z@example.com', status: 'PENDING' },
    ]);
    const entries = decideEntries(
      'reactivate',
      [byId('31'), byId('32'), byId('33')],
      eligibilityContext({}, CALLER),
      (target) => matchTarget(target, reactivation, new Map())!,
      25,
      new Date(),
    );
    expect(entries.map((entry) => [entry.outcome, entry.reason])).toEqual([
      ['would-reactivate', undefined],
      ['already-active', undefined],
      ['blocked', 'not-active'],
    ]);
  });
});

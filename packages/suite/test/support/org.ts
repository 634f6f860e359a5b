import type { JournalEntry, Seed } from '@smartsheet-offboard/simulator';
import { TOKEN } from './secret.js';

export const DOMAIN = 'example.com';
export const CALLER = { id: '1000000000000001', email: `it.admin@${DOMAIN}` };

/** People each of whom must never be deactivated, for a different reason. */
export const UNTOUCHABLE = {
  isp: { id: '7000000000000001', email: 'joe@gmail.com' },
  admin: { id: '7000000000000002', email: `other.admin@${DOMAIN}`, admin: true },
  protected: { id: '7000000000000003', email: `ceo@${DOMAIN}` },
  outside: { id: '7000000000000004', email: 'partner@elsewhere.org' },
} as const;

const FIRST_ID = 3_000_000_000_000_001n;

/** The `index`-th (0-based) of the generated users: IDs step by 7 so a rounding error names nobody real. */
export function member(index: number, count: number): { id: string; email: string } {
  return {
    id: (FIRST_ID + 7n * BigInt(index)).toString(),
    email: `user${String(index + 1).padStart(String(count).length, '0')}@${DOMAIN}`,
  };
}

export function members(count: number): { id: string; email: string }[] {
  return Array.from({ length: count }, (_, index) => member(index, count));
}

/** An org of `count` ordinary members plus the caller and the untouchables. */
export function orgSeed(count: number): Seed {
  return {
    planDomains: [DOMAIN],
    tokens: { [TOKEN]: CALLER.id },
    users: [{ ...CALLER, admin: true }, ...Object.values(UNTOUCHABLE)],
    generated: { count, domain: DOMAIN, idStart: FIRST_ID, idStep: 7 },
  };
}

/** Successful deactivations per user ID, from the simulator's journal. */
export function successfulDeactivations(journal: readonly JournalEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of journal) {
    if (entry.endpoint === 'deactivateUser' && entry.status === 200) {
      counts.set(entry.userId!, (counts.get(entry.userId!) ?? 0) + 1);
    }
  }
  return counts;
}

/** Every user ID a deactivation was requested for, successful or not. */
export function deactivationRequests(journal: readonly JournalEntry[]): string[] {
  return journal.filter((entry) => entry.endpoint === 'deactivateUser').map((entry) => entry.userId!);
}

import type { JournalEntry } from '@smartsheet-offboard/simulator';

/** The journal entries of one endpoint, in order. */
export function calls(journal: readonly JournalEntry[], endpoint: JournalEntry['endpoint']): JournalEntry[] {
  return journal.filter((entry) => entry.endpoint === endpoint);
}

/** Every user ID a deactivation was requested for, successful or not, in order. */
export function deactivationRequests(journal: readonly JournalEntry[]): string[] {
  return calls(journal, 'deactivateUser').map((entry) => entry.userId!);
}

/** Successful deactivations per user ID. */
export function successfulDeactivations(journal: readonly JournalEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of calls(journal, 'deactivateUser')) {
    if (entry.status === 200) counts.set(entry.userId!, (counts.get(entry.userId!) ?? 0) + 1);
  }
  return counts;
}

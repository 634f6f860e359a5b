import type { Endpoint } from './faults.js';

/** One request as the simulator saw and answered it. Carries no token. */
export interface JournalEntry {
  /** 1, 2, 3… in arrival order; `GET /__simulator/requests?since=N` returns the entries after N. */
  seq: number;
  /** Arrival, epoch milliseconds (from the simulator's clock). */
  time: number;
  method: string;
  /** The path as requested, without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names; `authorization` is redacted. */
  headers: Record<string, string>;
  body: string;
  /** The HTTP status sent; 0 when the connection was reset instead. */
  status: number;
  /** Smartsheet's errorCode when the answer was an error. */
  errorCode?: number;
  durationMs: number;
  /** Set when the path matched one of the five endpoints. */
  endpoint?: Endpoint;
  /** The user ID in the path (canonical decimal string). */
  userId?: string;
  /** The user the token belongs to, when the token is known. */
  callerId?: string;
  /** The injected fault or storm that shaped the answer (`reset`, `slow`, `4004`, `storm`…). */
  fault?: string;
  /** True when a fault struck after the change was made (`afterApplying`): the state changed anyway. */
  applied?: boolean;
}

export const REDACTED_AUTHORIZATION = 'Bearer [redacted]';

/** Copies request headers for the journal, without the token. */
export function journalHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    copy[name] =
      name === 'authorization' ? REDACTED_AUTHORIZATION : Array.isArray(value) ? value.join(', ') : value;
  }
  return copy;
}

/** An append-only, in-memory request log (O(1) append), readable while the server runs. */
export class Journal {
  private entries: JournalEntry[] = [];
  private nextSeq = 1;

  nextSequence(): number {
    return this.nextSeq++;
  }

  append(entry: JournalEntry): void {
    this.entries.push(entry);
  }

  /** Entries in arrival order, after sequence number `since` when given. */
  list(since = 0): JournalEntry[] {
    if (since <= 0) return this.entries.slice();
    return this.entries.filter((entry) => entry.seq > since);
  }

  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries = [];
  }
}

/**
 * Spaces request starts evenly so a token never exceeds its per-minute budget.
 *
 * Smartsheet counts requests over a rolling minute, so a token-bucket (a burst, then a steady rate)
 * would put a burst plus a minute of steady requests into one window and provoke 429s. Starting
 * requests at least `60 000 / requestsPerMinute` ms apart keeps every window of any length L at or
 * under `ceil(L / interval)` starts, which for one minute is under the budget. The interval carries a
 * small margin (2%) for arrival jitter on the network: N requests take about the floor time, never less.
 */
export interface Pacer {
  readonly intervalMs: number;
  /** Resolves when the caller may start its request; each call reserves the next start time. */
  wait(): Promise<void>;
}

export const PACING_SAFETY_MARGIN = 0.02;

export function createPacer(options: {
  requestsPerMinute: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}): Pacer {
  const intervalMs = (60_000 / options.requestsPerMinute) * (1 + PACING_SAFETY_MARGIN);
  let nextStart = Number.NEGATIVE_INFINITY;
  return {
    intervalMs,
    async wait() {
      const now = options.now();
      // Idle time earns no credit: the next start is never earlier than one interval after the last.
      const start = Math.max(now, nextStart);
      nextStart = start + intervalMs;
      if (start > now) await options.sleep(start - now);
    },
  };
}

/** At most `limit` holders at once; waiters are served in arrival order. */
export interface Slots {
  acquire(): Promise<void>;
  release(): void;
}

export function createSlots(limit: number): Slots {
  let free = limit;
  const waiting: (() => void)[] = [];
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      // Hand the slot straight to the next waiter so a newcomer cannot overtake it.
      if (next) next();
      else free++;
    },
  };
}

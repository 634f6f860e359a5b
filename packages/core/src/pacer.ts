/**
 * Spaces request starts evenly so a token never exceeds its per-minute budget.
 *
 * Smartsheet counts requests over a rolling minute, so a token-bucket (a burst, then a steady rate)
 * would put a burst plus a minute of steady requests into one window and provoke 429s. Starting
 * requests at least `60 000 / requestsPerMinute` ms apart keeps every window of any length L at or
 * under `ceil(L / interval)` starts, which for one minute is under the budget. The interval carries a
 * small margin (2%) for arrival jitter on the network: N requests take about the floor time, never less.
 * Starts are spaced from the previous actual start, not from a schedule, so a late timer or a busy event
 * loop can only slow requests down, never bunch them up.
 */
export interface Pacer {
  readonly intervalMs: number;
  /** Resolves, in call order, when the caller may start its request. */
  wait(): Promise<void>;
}

const PACING_SAFETY_MARGIN = 0.02;

export function createPacer(options: {
  requestsPerMinute: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Wakes every waiter early once aborted: a caller that stops sends nothing it was waiting to send. */
  signal?: AbortSignal;
}): Pacer {
  const intervalMs = (60_000 / options.requestsPerMinute) * (1 + PACING_SAFETY_MARGIN);
  let lastStart = Number.NEGATIVE_INFINITY;
  let queue: Promise<void> = Promise.resolve();
  return {
    intervalMs,
    wait() {
      // One waiter at a time, each measured from the previous one's actual start: a timer that fires
      // late pushes the following starts later instead of letting them catch up into a burst.
      // Idle time earns no credit either: a start is never less than one interval after the last.
      const turn = queue.then(async () => {
        const due = lastStart + intervalMs;
        const now = options.now();
        if (due > now && !options.signal?.aborted) await options.sleep(due - now, options.signal);
        // A timer may fire a fraction of a millisecond early: count the start as no earlier than due.
        lastStart = Math.max(options.now(), due);
      });
      // A failed sleep fails its own caller, never the ones queued behind it.
      queue = turn.catch(() => {});
      return turn;
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

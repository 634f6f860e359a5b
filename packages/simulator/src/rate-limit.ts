/**
 * Smartsheet's per-token limit (300 requests per minute), as a rolling window: a request is
 * accepted when fewer than `requestsPerMinute` requests of the same token were accepted in the
 * last (scaled) minute. Refused requests do not count. Each token keeps a ring of its last
 * accepted times, so a check is O(1).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { times: Float64Array; next: number }>();

  constructor(
    readonly requestsPerMinute: number,
    /** 100 makes the minute last 600 ms. */
    readonly timeScale: number,
  ) {}

  get windowMs(): number {
    return 60_000 / this.timeScale;
  }

  /** Records the request and returns true when it is within the limit; false when it is refused. */
  take(key: string, nowMs: number): boolean {
    let window = this.windows.get(key);
    if (!window) {
      window = { times: new Float64Array(this.requestsPerMinute).fill(Number.NEGATIVE_INFINITY), next: 0 };
      this.windows.set(key, window);
    }
    // The slot about to be overwritten holds the oldest of the last N accepted requests.
    if (nowMs - window.times[window.next]! < this.windowMs) return false;
    window.times[window.next] = nowMs;
    window.next = (window.next + 1) % this.requestsPerMinute;
    return true;
  }

  /** Seconds until `key` may send again (at least 1), for a configured `Retry-After`. */
  secondsUntilFree(key: string, nowMs: number): number {
    const window = this.windows.get(key);
    if (!window) return 0;
    const waitMs = window.times[window.next]! + this.windowMs - nowMs;
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  reset(): void {
    this.windows.clear();
  }
}

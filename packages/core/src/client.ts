import type { ListUsersQuery } from './endpoints.js';
import type { ConnectionOptions, SmartsheetUser, UserId } from './types.js';

export interface ClientOptions extends ConnectionOptions {
  fetch?: typeof globalThis.fetch;
  /** Milliseconds since an arbitrary origin (default `performance.now`). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1): jitter for backoff (default `Math.random`). */
  random?: () => number;
  /** The per-token budget to stay under (default 300, Smartsheet's limit). */
  requestsPerMinute?: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Give up retrying a request after this long (default 60 000 ms). */
  maxRetryTimeMs?: number;
  /** Abort one attempt after this long (default 30 000 ms). */
  requestTimeoutMs?: number;
  /** Called after each HTTP attempt, for logs and progress; carries no secret. */
  onAttempt?: (event: { method: string; path: string; status?: number; attempt: number; ms: number }) => void;
}

export interface UsersPage {
  pageNumber: number;
  pageSize: number;
  totalPages: number;
  totalCount: number;
  data: SmartsheetUser[];
}

/** The subset of Smartsheet's users API that offboarding needs: paced, retried, 64-bit safe. */
export interface UsersApi {
  getCurrentUser(): Promise<SmartsheetUser>;
  getUser(id: UserId): Promise<SmartsheetUser>;
  listUsers(query?: ListUsersQuery): Promise<UsersPage>;
  deactivateUser(id: UserId): Promise<void>;
  reactivateUser(id: UserId): Promise<void>;
}

export function createClient(options: ClientOptions): UsersApi {
  throw new Error(`not implemented: createClient(${options.region})`);
}

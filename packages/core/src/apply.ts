import type { UsersApi } from './client.js';
import type { Plan, Report, ReportResult } from './types.js';

export interface ApplyOptions {
  /** Stops starting new requests; those in flight finish; the rest end `failed`/`interrupted`. */
  signal?: AbortSignal;
  onResult?: (result: ReportResult, done: number, total: number) => void;
}

/** Deactivates (or reactivates) exactly the users the plan marks, going on past per-user failures. */
export async function apply(api: UsersApi, plan: Plan, options: ApplyOptions = {}): Promise<Report> {
  throw new Error(`not implemented: apply(${typeof api}, ${plan.digest}, ${typeof options})`);
}

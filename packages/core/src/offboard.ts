import type { ClientOptions } from './client.js';
import type { Plan, PlanOptions, Report, ReportResult } from './types.js';

export interface OffboardRequest {
  /** `validate` never makes a request; `plan` makes only reads; `apply`/`reactivate` change users. */
  mode: 'validate' | 'plan' | 'apply' | 'reactivate';
  /** Offboarding files already read by the caller (core does no file I/O). */
  files?: readonly { path: string; content: string | Uint8Array }[];
  /** Targets given directly; `names` label them in findings (`user-ids` in the action, `--user-id` in the CLI). */
  inputs?: {
    userIds?: readonly string[];
    emails?: readonly string[];
    names?: { userIds: string; emails: string };
  };
  /** How to reach Smartsheet; required for every mode but `validate`. */
  connection?: ClientOptions;
  planOptions?: PlanOptions;
  /** Called with the plan before any change; resolve `false` to stop there (the CLI's confirmation). */
  confirm?: (plan: Plan) => boolean | Promise<boolean>;
  /** Stops starting new changes (Ctrl-C); the report says what happened so far. */
  signal?: AbortSignal;
  onPlan?: (plan: Plan) => void;
  onResult?: (result: ReportResult, done: number, total: number) => void;
}

export interface OffboardResult {
  report: Report;
  /** Present once targets were resolved against Smartsheet. */
  plan?: Plan;
  /** `invalid`: files or inputs had findings, nothing was requested. `declined`: `confirm` said no. */
  stoppedBecause?: 'invalid' | 'declined';
}

/**
 * One whole run, shared by the CLI and the action: parse and cross-check every source, refuse on any
 * finding before the first request, plan, then (for apply/reactivate) change exactly the planned users.
 */
export async function offboard(request: OffboardRequest): Promise<OffboardResult> {
  throw new Error(`not implemented: offboard(${request.mode})`);
}

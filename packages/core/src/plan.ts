import type { UsersApi } from './client.js';
import type { Plan, PlanEntry, PlanOptions, Target } from './types.js';

/**
 * Resolves every target in as few requests as it can and decides one outcome per target.
 * Throws (before any deactivation) when the caller is not a System Admin.
 */
export async function plan(
  api: UsersApi,
  targets: readonly Target[],
  options: PlanOptions = {},
): Promise<Plan> {
  throw new Error(`not implemented: plan(${typeof api}, ${targets.length}, ${JSON.stringify(options)})`);
}

/** `sha256:<hex>` of the decisions, independent of input order. */
export function planDigest(operation: Plan['operation'], entries: readonly PlanEntry[]): string {
  throw new Error(`not implemented: planDigest(${operation}, ${entries.length})`);
}

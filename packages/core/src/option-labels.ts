import { ConfigError } from './errors.js';
import type { ConnectionOptions, PlanOptions } from './types.js';

/**
 * Core's names for what its callers set: the person-facing plan options, the connection options and the
 * targets given directly. Core's messages and every `ConfigError.input` use these names.
 */
export type OptionName =
  | (typeof PLAN_OPTION_NAMES)[number]
  | keyof ConnectionOptions
  | 'requestsPerMinute'
  | 'userIds'
  | 'emails';

/** What a caller calls each option (an action input, a CLI flag); core's own name where none is given. */
export type OptionLabels = Partial<Record<OptionName, string>>;

/**
 * The plan options a person sets. `operation` follows from the command or mode, and `reviewedPlan` and
 * `labels` come from the caller's own machinery, so they are not in this list.
 */
export const PLAN_OPTION_NAMES = [
  'planDomains',
  'extraIspDomains',
  'protectedUsers',
  'allowAdmins',
  'allowChildOrganizations',
  'maxDeactivations',
] as const satisfies readonly (keyof PlanOptions)[];

/** The caller's name for one of core's options (or for an input core names on its own, such as `plan`). */
export function labelFor(input: string, labels: OptionLabels = {}): string {
  return labels[input as OptionName] ?? input;
}

/** The same error, its message naming the option the way the caller does; `input` stays core's name. */
export function labelConfigError(error: ConfigError, labels: OptionLabels = {}): ConfigError {
  const label = labelFor(error.input, labels);
  if (label === error.input) return error;
  const labelled = new ConfigError(error.input, error.value, error.allowed);
  labelled.message = new ConfigError(label, error.value, error.allowed).message;
  return labelled;
}

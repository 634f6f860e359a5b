import type { Finding, Target } from './types.js';

export const MANIFEST_LIMITS = { maxEntries: 10_000, maxBytes: 5 * 1024 * 1024 } as const;

export interface ParsedTargets {
  targets: Target[];
  findings: Finding[];
}

/** Parses one offboarding file (format from its extension: yml/yaml/json/csv/txt). Never throws on bad content. */
export function parseOffboardingFile(file: string, content: string | Uint8Array): ParsedTargets {
  throw new Error(`not implemented: parseOffboardingFile(${file}, ${content.length})`);
}

/** Targets given directly (action inputs, CLI options); `names` label them in findings. */
export function targetsFromInputs(
  input: { userIds?: readonly string[]; emails?: readonly string[] },
  names: { userIds: string; emails: string } = { userIds: 'user-ids', emails: 'emails' },
): ParsedTargets {
  throw new Error(`not implemented: targetsFromInputs(${JSON.stringify(input)}, ${names.userIds})`);
}

/** Problems across all loaded targets: the same person twice, an ID given with two different emails. */
export function crossCheckTargets(targets: readonly Target[]): Finding[] {
  throw new Error(`not implemented: crossCheckTargets(${targets.length})`);
}

import * as actionsCore from '@actions/core';
import type { DriftPolicy, OptionLabels, PlanOptions, Region } from '@smartsheet-offboard/core';

/** The action's inputs, validated and typed; the only module that reads them. */
export interface ActionInputs {
  /** Absent on a pull request from a fork (no secrets): the run then validates offline. */
  smartsheetToken?: string;
  /**
   * `reactivate`: the rollback, on `workflow_dispatch` only. `reconcile`: the default branch's files as the
   * desired state (also what `schedule` runs do).
   */
  mode: 'auto' | 'plan' | 'apply' | 'reconcile' | 'reactivate';
  /** Report what the run would change and change nothing, whatever the mode. */
  dryRun: boolean;
  userIds: string[];
  emails: string[];
  /** Undefined when not given, so `workflow_dispatch` reads files only when asked to. */
  manifestPaths?: string[];
  region?: Region;
  apiBaseUrl?: string;
  planDomains?: string[];
  extraIspDomains?: string[];
  protectedUsers?: string[];
  allowAdmins: boolean;
  allowChildOrganizations: boolean;
  maxDeactivations: number;
  requiredApprovals: number;
  requestsPerMinute: number;
  integrationSource?: string;
  commentOnPr: boolean;
  githubToken?: string;
  /** An apply refuses a pull request without an authenticated reviewed plan for its approved commit. */
  requireReviewedPlan: boolean;
  /** What a reconcile run does about a user an apply deactivated who is active again. */
  drift: DriftPolicy;
  /** The label of the one issue `drift: report` keeps. */
  driftIssueLabel: string;
}

/** What `action.yml` calls each of core's options: core's messages and errors say them this way. */
export const ACTION_LABELS = {
  userIds: 'user-ids',
  emails: 'emails',
  planDomains: 'plan-domains',
  extraIspDomains: 'extra-isp-domains',
  protectedUsers: 'protected-users',
  allowAdmins: 'allow-admins',
  allowChildOrganizations: 'allow-child-organizations',
  maxDeactivations: 'max-deactivations',
  region: 'region',
  baseUrl: 'api-base-url',
  integrationSource: 'integration-source',
  requestsPerMinute: 'requests-per-minute',
  token: 'smartsheet-token',
} as const satisfies OptionLabels;

/** The safety rules of a deactivating run (plan, apply or reconcile), as core takes them. */
export function deactivationRules(inputs: ActionInputs): PlanOptions {
  return {
    planDomains: inputs.planDomains,
    extraIspDomains: inputs.extraIspDomains,
    protectedUsers: inputs.protectedUsers,
    allowAdmins: inputs.allowAdmins,
    allowChildOrganizations: inputs.allowChildOrganizations,
    maxDeactivations: inputs.maxDeactivations,
  };
}

/** Used when `manifest-paths` is not given (documented in action.yml and the README). */
export const DEFAULT_MANIFEST_PATHS = ['offboarding/**/*.{yml,yaml,json,csv,txt}'];

const MODES = ['auto', 'plan', 'apply', 'reconcile', 'reactivate'] as const;
const DRIFT_POLICIES = ['report', 'revert', 'ignore'] as const;
const REGIONS = ['us', 'eu', 'au', 'gov'] as const;

/** A bad input value: names the input, the value and what is allowed. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(input: string, value: string, allowed: string) {
    super(`Input '${input}' has the invalid value ${JSON.stringify(value)}: ${allowed}`);
  }
}

/** What `readInputs` needs from `@actions/core`; tests pass a fake. */
export interface InputSource {
  getInput(name: string): string;
  setSecret(secret: string): void;
}

/**
 * Reads and validates every input. Tokens are masked the moment they are read, before anything
 * can log them; values are never echoed for the secret inputs.
 */
export function readInputs(source: InputSource = actionsCore): ActionInputs {
  const optional = (name: string): string | undefined => {
    const value = source.getInput(name).trim();
    return value === '' ? undefined : value;
  };
  const secret = (name: string): string | undefined => {
    const value = optional(name);
    if (value !== undefined) source.setSecret(value);
    return value;
  };

  const smartsheetToken = secret('smartsheet-token');
  const githubToken = secret('github-token');

  return {
    smartsheetToken,
    githubToken,
    mode: oneOf('mode', optional('mode') ?? 'auto', MODES),
    dryRun: boolean('dry-run', optional('dry-run'), false),
    userIds: list(optional('user-ids')) ?? [],
    emails: list(optional('emails')) ?? [],
    manifestPaths: globs(optional('manifest-paths')),
    region: optionalOneOf('region', optional('region'), REGIONS),
    apiBaseUrl: optional('api-base-url'),
    planDomains: list(optional('plan-domains')),
    extraIspDomains: list(optional('extra-isp-domains')),
    protectedUsers: list(optional('protected-users')),
    allowAdmins: boolean('allow-admins', optional('allow-admins'), false),
    allowChildOrganizations: boolean(
      'allow-child-organizations',
      optional('allow-child-organizations'),
      false,
    ),
    maxDeactivations: positiveInteger('max-deactivations', optional('max-deactivations'), 25),
    requiredApprovals: positiveInteger('required-approvals', optional('required-approvals'), 1),
    requestsPerMinute: positiveInteger('requests-per-minute', optional('requests-per-minute'), 300),
    integrationSource: optional('integration-source'),
    commentOnPr: boolean('comment-on-pr', optional('comment-on-pr'), true),
    requireReviewedPlan: boolean('require-reviewed-plan', optional('require-reviewed-plan'), true),
    drift: oneOf('drift', optional('drift') ?? 'report', DRIFT_POLICIES),
    driftIssueLabel: label('drift-issue-label', optional('drift-issue-label') ?? 'smartsheet-offboard-drift'),
  };
}

/** GitHub splits a label filter on commas, so a label with one would find other issues. */
function label(name: string, value: string): string {
  if (value.includes(',')) throw new InputError(name, value, 'a label name without commas');
  return value;
}

/** Comma-, space- or newline-separated values; undefined when none. */
function list(value: string | undefined): string[] | undefined {
  const items = value?.split(/[\s,]+/).filter((item) => item !== '');
  return items && items.length > 0 ? items : undefined;
}

/**
 * One glob per line (commas belong to brace patterns like `*.{yml,yaml}`). Paths are relative to
 * the repository: an absolute path or `..` could read files outside it.
 */
function globs(value: string | undefined): string[] | undefined {
  const patterns = value
    ?.split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (!patterns || patterns.length === 0) return undefined;
  for (const pattern of patterns) {
    if (pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern) || pattern.split(/[\\/]/).includes('..')) {
      throw new InputError(
        'manifest-paths',
        pattern,
        'globs must be relative to the repository root, without leading "/" or ".." segments',
      );
    }
  }
  return patterns;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const normalised = value.toLowerCase();
  if (!(allowed as readonly string[]).includes(normalised)) {
    throw new InputError(name, value, `expected one of ${allowed.join(', ')}`);
  }
  return normalised as T;
}

function optionalOneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]) {
  return value === undefined ? undefined : oneOf(name, value, allowed);
}

function boolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const normalised = value.toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  throw new InputError(name, value, 'expected true or false');
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InputError(name, value, 'expected a whole number of at least 1');
  }
  return parsed;
}

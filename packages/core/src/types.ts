/**
 * The shared vocabulary of smartsheet-offboard. Names here mirror the user-facing contract
 * (outcomes, reason codes, the JSON report): scripts rely on them, so change them only with a
 * major version.
 */

import type { OptionLabels } from './option-labels.js';
import type { ReviewedPlan } from './reviewed-plan.js';

/** A Smartsheet user ID as a canonical decimal string. Never a JavaScript number: IDs exceed 2^53. */
export type UserId = string;

/** Where a target came from, so findings can point at the line of the pull request. */
export type TargetSource =
  | { file: string; line: number }
  /** Given directly: an action input (`user-ids`, `emails`) or a CLI option (`--user-id`). */
  | {
      input: string;
      /** 1-based place among the values given to that input (after splitting on commas and newlines). */
      position?: number;
    };

/** One person to offboard, as the offboarding file or input named them. */
export interface Target {
  /** Canonical decimal ID, when given. */
  id?: UserId;
  /** Normalised email (lower-case, ASCII domain), when given. */
  email?: string;
  /** The entry exactly as written (an ID or an email), for `not-found` outputs and messages. */
  given: string;
  /** Free text from the file, copied into the report. */
  note?: { reason?: string; ticket?: string };
  /**
   * The leave date as written (`deactivate-on`, the entry's or the file's default): an ISO date or a
   * date-time with an offset. Before it the target is `scheduled`, never deactivated.
   */
  deactivateOn?: string;
  source: TargetSource;
}

/** What is wrong, as a stable machine code (scripts match on these). */
export type FindingCode =
  /** The file as a whole: format, size, encoding, how many entries and findings. */
  | 'unsupported-format'
  | 'file-too-large'
  | 'not-utf8'
  | 'no-entries'
  | 'too-many-entries'
  | 'too-many-findings'
  /** The text does not parse, or its structure is not a list of users. */
  | 'syntax'
  | 'too-deep'
  | 'alias'
  | 'duplicate-key'
  | 'invalid-shape'
  | 'unknown-key'
  | 'invalid-value'
  | 'unknown-column'
  | 'duplicate-column'
  | 'missing-column'
  | 'extra-cells'
  /** One entry. */
  | 'malformed-entry'
  | 'malformed-id'
  | 'malformed-email'
  | 'missing-id-or-email'
  | 'formula-cell'
  | 'invalid-note'
  /** A `deactivate-on` that is no date, names no real moment, has no offset or is too far ahead. */
  | 'invalid-date'
  /** Across entries: the same person twice, or one ID with two emails (one email with two IDs). */
  | 'duplicate'
  | 'conflict';

/** A problem in an offboarding file or input; `line` is 1-based. */
export interface Finding {
  /** `file`: `file` is an offboarding file's path. `input`: `file` names an input (as labelled), `line` the position among its values. */
  source: 'file' | 'input';
  file: string;
  line: number;
  column?: number;
  code: FindingCode;
  message: string;
}

/** `scheduled`: would be deactivated, but its leave date (`deactivate-on`) has not come yet. */
export type PlanOutcome = 'would-deactivate' | 'already-deactivated' | 'blocked' | 'not-found' | 'scheduled';
export type ApplyOutcome =
  | 'deactivated'
  | 'already-deactivated'
  | 'blocked'
  | 'not-found'
  | 'failed'
  | 'scheduled';
export type ReactivateOutcome =
  | 'reactivated'
  | 'would-reactivate'
  | 'already-active'
  | 'blocked'
  | 'not-found'
  | 'failed';
export type Outcome = PlanOutcome | ApplyOutcome | ReactivateOutcome;

/**
 * Why a target was `blocked` (permanent) or `failed` (transient, running again may succeed).
 * The first group is decided by our rules or by a documented Smartsheet refusal.
 */
export type ReasonCode =
  | 'isp-domain'
  | 'outside-plan-domains'
  | 'directory-managed'
  | 'external-user'
  | 'not-member'
  | 'protected'
  | 'self'
  | 'admin'
  | 'over-limit'
  | 'id-email-mismatch'
  /** The user this entry resolves to now is not the one the reviewed plan showed, or no reviewed plan covers it. */
  | 'not-reviewed'
  /** Held back because another entry of the plan is invalid (e.g. `id-email-mismatch`): nothing changes. */
  | 'plan-invalid'
  | 'not-active'
  /** Smartsheet refused under an SSO, MFA or data egress policy of the organization (1361–1363). */
  | 'policy-restricted'
  /** A Smartsheet refusal this project has no specific name for: the message quotes its code and text. */
  | 'refused'
  | 'reactivation-window'
  | 'unauthorized'
  | 'gov-unsupported'
  | 'interrupted'
  | 'rate-limited'
  | 'server-error'
  | 'network'
  | 'unexpected-response';

/** What Smartsheet (or the network) said, as a value: only the entry turns it into an exit code. */
export interface SmartsheetErrorInfo {
  kind:
    | 'auth'
    | 'forbidden'
    | 'refused'
    | 'not-found'
    | 'bad-request'
    | 'rate-limit'
    | 'server'
    | 'network'
    | 'timeout'
    | 'unexpected-response'
    /** The caller's abort signal ended a request's retries. */
    | 'interrupted';
  reason: ReasonCode;
  retryable: boolean;
  errorCode?: number;
  httpStatus?: number;
  refId?: string;
  /** One line, safe to print: never contains the token. */
  message: string;
  /** What a person should do about it. */
  remediation: string;
  /** How long the response's `Retry-After` header asked to wait, when it had one. */
  retryAfterMs?: number;
  /** Attempts in all worth making for this kind of failure, when fewer than the retry budget allows. */
  maxAttempts?: number;
}

/** A user as the list endpoint returns it (only the fields we use; `status` is an open string). */
export interface SmartsheetUser {
  id: UserId;
  email: string;
  name?: string;
  status?: string;
  admin?: boolean;
  groupAdmin?: boolean;
  licensedSheetCreator?: boolean;
  isInternal?: boolean;
}

export type Region = 'us' | 'eu' | 'au' | 'gov';

export interface ConnectionOptions {
  /** The Smartsheet access token (a System Admin's, scope ADMIN_USERS). A secret. */
  token: string;
  region?: Region;
  /** Overrides `region`: https, or http to a loopback address (the simulator). */
  baseUrl?: string;
  /** `TYPE,ORG-NAME,INTEGRATOR-NAME`, sent as `smartsheet-integration-source`. */
  integrationSource?: string;
  /** Sent as `Smartsheet-Change-Agent`: tags the change with its origin. */
  changeAgent?: string;
  /** Extra headers, e.g. from `--header 'Name: value'`. */
  headers?: Record<string, string>;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
}

export interface PlanOptions {
  operation?: 'deactivate' | 'reactivate';
  /** When given, a user whose email domain is not one of these is blocked before any request. */
  planDomains?: string[];
  /** Added to Smartsheet's named ISP domains. */
  extraIspDomains?: string[];
  /** IDs or emails never to touch. */
  protectedUsers?: string[];
  /** Let System/Group Admins be deactivated (default false: blocked with `admin`). */
  allowAdmins?: boolean;
  /** Over this many deactivations the whole plan is refused (default 25). */
  maxDeactivations?: number;
  /** What reviewers saw: a target resolving to another user than recorded is `blocked`/`not-reviewed`. */
  reviewedPlan?: ReviewedPlan;
  /** The moment leave dates are compared with (default: the clock). A target is due when its date is at or before it. */
  now?: Date;
  /**
   * Plan an ID that the organization's user list does not hold (but Smartsheet knows) as a possible
   * Enterprise Plan Manager child-organization user, instead of blocking it as `not-member`: Smartsheet
   * decides (default false).
   */
  allowChildOrganizations?: boolean;
  /** The caller's names for these options (`max-deactivations`, `--max-deactivations`), for messages. */
  labels?: OptionLabels;
}

export interface PlanEntry {
  target: Target;
  /** The user the target resolved to, when found. */
  user?: SmartsheetUser;
  outcome: PlanOutcome | 'would-reactivate' | 'already-active';
  reason?: ReasonCode;
  message?: string;
  /** Other targets that name the same person (by email and by ID, or in two files): one entry, one decision. */
  alsoNamedBy?: Target[];
}

export interface Plan {
  operation: 'deactivate' | 'reactivate';
  caller: { id: UserId; email: string };
  entries: PlanEntry[];
  maxDeactivations: number;
  /** `sha256:<hex>` over the decisions: equal plans have equal digests whatever the input order. */
  digest: string;
  /** What a person should know that is no target's outcome (users listed without an email). */
  warnings?: string[];
}

export interface ReportResult {
  id?: UserId;
  email?: string;
  /** The target as given (an ID or email), always present. */
  given: string;
  outcome: Outcome;
  reason?: ReasonCode;
  message?: string;
  errorCode?: number;
  refId?: string;
  source?: TargetSource;
  /** Every place that named this person, `source` first, when more than one did (by email and by ID…). */
  sources?: TargetSource[];
  note?: { reason?: string; ticket?: string };
  /** The target's leave date as written, when it has one. */
  deactivateOn?: string;
}

export interface Report {
  mode: 'validate' | 'plan' | 'apply' | 'reactivate';
  planDigest?: string;
  summary: Partial<Record<Outcome, number>>;
  results: ReportResult[];
  /** File problems (validate, or a run refused because of invalid files). */
  findings?: Finding[];
  /** `validate` only: every target the files and inputs name, as read (nothing is looked up). */
  targets?: Target[];
  /** The plan's warnings (see `Plan.warnings`). */
  warnings?: string[];
  /**
   * A reconcile run: users an earlier apply deactivated who are active again. With `drift: revert` they are
   * also in `results` (deactivated again); with `report` nothing is done to them.
   */
  drifted?: DriftedUser[];
}

/** A user an earlier apply deactivated who is active again, and the entry that still asks to offboard them. */
export interface DriftedUser {
  id: UserId;
  email?: string;
  given: string;
  source?: TargetSource;
  note?: { reason?: string; ticket?: string };
}

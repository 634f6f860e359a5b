// The public API, named one by one: `types.ts` promises that these names change only in a major
// version, and `test/public-api.test.ts` holds the list. Anything not named here is internal.

export { type ApplyOptions, apply } from './apply.js';

export {
  type ChangeSet,
  changeOfTargets,
  changeSet,
  entryKey,
  type OffboardingFileVersion,
  sameEntries,
} from './change-set.js';
export {
  type AttemptEvent,
  CLIENT_DEFAULTS,
  type ClientOptions,
  createClient,
  describeRetry,
  type RetryEvent,
  type UsersApi,
  type UsersPage,
} from './client.js';
export {
  checkTarget,
  checkUser,
  type Eligibility,
  type EligibilityContext,
  eligibilityContext,
} from './eligibility.js';
export { type NormalizedEmail, normalizeEmail, SMARTSHEET_ISP_DOMAINS } from './emails.js';
export {
  INTEGRATION_SOURCE_TYPES,
  type ListUsersQuery,
  MAX_PAGE_SIZE,
  REGION_BASE_URLS,
  USER_AGENT,
} from './endpoints.js';
export {
  ConfigError,
  mapHttpError,
  mapTransportError,
  SmartsheetApiError,
  type SmartsheetOperation,
} from './errors.js';
export { type ParseResult, parseUserId } from './ids.js';
export {
  describeLeaveDate,
  isDue,
  type LeaveDateParse,
  leaveDateTime,
  MAX_LEAVE_DATE_YEARS_AHEAD,
  parseLeaveDate,
} from './leave-dates.js';
export {
  crossCheckTargets,
  MANIFEST_LIMITS,
  OFFBOARDING_FILE_EXTENSIONS,
  type ParsedTargets,
  parseOffboardingFile,
  targetsFromInputs,
} from './manifest/index.js';
export { type OffboardRequest, type OffboardResult, offboard } from './offboard.js';
export { type OptionLabels, type OptionName, PLAN_OPTION_NAMES } from './option-labels.js';
export { plan, planDigest, settledPlanDigest } from './plan.js';
export {
  type DriftPolicy,
  entriesNeedingProvenance,
  type Provenance,
  provenanceFromRecord,
  type ReconciledPlan,
  reconcilePlan,
} from './reconcile.js';
export { REDACTED, redactSecrets } from './redact.js';
export {
  describeResult,
  exitCodeFor,
  idsByOutcome,
  OUTCOME_TITLES,
  PROBLEM_OUTCOMES,
  planReport,
  REASON_TITLES,
  reportToJson,
  SUMMARY_OUTCOMES,
  summarize,
  summaryOutcomes,
} from './report.js';
export {
  decodeReviewedPlan,
  encodeReviewedPlan,
  type ReviewedPlan,
  type ReviewedPlanProblem,
  reviewedPlanOf,
  withApplied,
} from './reviewed-plan.js';

export type {
  ApplyOutcome,
  ConnectionOptions,
  DriftedUser,
  Finding,
  FindingCode,
  Outcome,
  Plan,
  PlanEntry,
  PlanOptions,
  PlanOutcome,
  ReactivateOutcome,
  ReasonCode,
  Region,
  Report,
  ReportResult,
  SmartsheetErrorInfo,
  SmartsheetUser,
  Target,
  TargetSource,
  UserId,
} from './types.js';

// The public API, named one by one: `types.ts` promises that these names change only in a major
// version, and `test/public-api.test.ts` holds the list. Anything not named here is internal.

export { type ApplyOptions, apply } from './apply.js';

// What a change adds, and what reviewers saw.
export {
  type ChangeSet,
  changeOfTargets,
  changeSet,
  entryKey,
  type OffboardingFileVersion,
  sameEntries,
} from './change-set.js';
// The client.
export {
  type AttemptEvent,
  CLIENT_DEFAULTS,
  type ClientOptions,
  createClient,
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
// Errors.
export {
  ConfigError,
  mapHttpError,
  mapTransportError,
  SmartsheetApiError,
  type SmartsheetOperation,
} from './errors.js';
export { type ParseResult, parseUserId } from './ids.js';
// Leave dates.
export {
  describeLeaveDate,
  isDue,
  type LeaveDateParse,
  leaveDateTime,
  MAX_LEAVE_DATE_YEARS_AHEAD,
  parseLeaveDate,
} from './leave-dates.js';
// Reading targets.
export {
  crossCheckTargets,
  MANIFEST_LIMITS,
  OFFBOARDING_FILE_EXTENSIONS,
  type ParsedTargets,
  parseOffboardingFile,
  targetsFromInputs,
} from './manifest/index.js';
// One whole run, as the CLI and the action call it.
export { type OffboardRequest, type OffboardResult, offboard } from './offboard.js';
// Planning and applying.
export { plan, planDigest, settledPlanDigest } from './plan.js';
// Reconciling the default branch.
export {
  type DriftPolicy,
  entriesNeedingProvenance,
  type Provenance,
  provenanceFromRecord,
  type ReconciledPlan,
  reconcilePlan,
} from './reconcile.js';
// Reports.
export {
  describeResult,
  exitCodeFor,
  idsByOutcome,
  OUTCOME_TITLES,
  planReport,
  REASON_TITLES,
  reportToJson,
  SUMMARY_OUTCOMES,
  summarize,
} from './report.js';
export {
  decodeReviewedPlan,
  encodeReviewedPlan,
  type ReviewedPlan,
  type ReviewedPlanProblem,
  reviewedPlanOf,
  withApplied,
} from './reviewed-plan.js';

// The shared vocabulary.
export type {
  ApplyOutcome,
  ConnectionOptions,
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

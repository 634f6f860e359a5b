export * from './apply.js';
export {
  type ChangeSet,
  changeOfTargets,
  changeSet,
  entryKey,
  type OffboardingFileVersion,
  sameEntries,
} from './change-set.js';
export * from './client.js';
export * from './eligibility.js';
export * from './emails.js';
export * from './endpoints.js';
export * from './errors.js';
export * from './ids.js';
export {
  describeLeaveDate,
  isDue,
  type LeaveDateParse,
  leaveDateTime,
  MAX_LEAVE_DATE_YEARS_AHEAD,
  parseLeaveDate,
} from './leave-dates.js';
export * from './manifest/index.js';
export * from './offboard.js';
export * from './plan.js';
export {
  type DriftPolicy,
  entriesNeedingProvenance,
  type Provenance,
  provenanceFromRecord,
  type ReconciledPlan,
  reconcilePlan,
} from './reconcile.js';
export * from './report.js';
export {
  decodeReviewedPlan,
  encodeReviewedPlan,
  type ReviewedPlan,
  type ReviewedPlanProblem,
  reviewedPlanOf,
  withApplied,
} from './reviewed-plan.js';
export type * from './types.js';

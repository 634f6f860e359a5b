import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// Every public type, by name: removing or renaming one fails the typecheck of this file.
import type {
  ApplyOptions,
  ApplyOutcome,
  AttemptEvent,
  ChangeSet,
  ClientOptions,
  ConnectionOptions,
  DriftPolicy,
  Eligibility,
  EligibilityContext,
  Finding,
  FindingCode,
  LeaveDateParse,
  ListUsersQuery,
  NormalizedEmail,
  OffboardingFileVersion,
  OffboardRequest,
  OffboardResult,
  Outcome,
  ParsedTargets,
  ParseResult,
  Plan,
  PlanEntry,
  PlanOptions,
  PlanOutcome,
  Provenance,
  ReactivateOutcome,
  ReasonCode,
  ReconciledPlan,
  Region,
  Report,
  ReportResult,
  ReviewedPlan,
  ReviewedPlanProblem,
  SmartsheetErrorInfo,
  SmartsheetOperation,
  SmartsheetUser,
  Target,
  TargetSource,
  UserId,
  UsersApi,
  UsersPage,
} from '../src/index.js';
import * as core from '../src/index.js';

/**
 * The runtime exports of `@smartsheet-offboard/core`. Names here change only in a major version
 * (`types.ts` promises it): adding one is a decision, and this list is where it is made.
 */
const PUBLIC_API = [
  'CLIENT_DEFAULTS',
  'ConfigError',
  'INTEGRATION_SOURCE_TYPES',
  'MANIFEST_LIMITS',
  'MAX_LEAVE_DATE_YEARS_AHEAD',
  'MAX_PAGE_SIZE',
  'OFFBOARDING_FILE_EXTENSIONS',
  'OUTCOME_TITLES',
  'REASON_TITLES',
  'REGION_BASE_URLS',
  'SMARTSHEET_ISP_DOMAINS',
  'SUMMARY_OUTCOMES',
  'SmartsheetApiError',
  'USER_AGENT',
  'apply',
  'changeOfTargets',
  'changeSet',
  'checkTarget',
  'checkUser',
  'createClient',
  'crossCheckTargets',
  'decodeReviewedPlan',
  'describeLeaveDate',
  'describeResult',
  'eligibilityContext',
  'encodeReviewedPlan',
  'entriesNeedingProvenance',
  'entryKey',
  'exitCodeFor',
  'idsByOutcome',
  'isDue',
  'leaveDateTime',
  'mapHttpError',
  'mapTransportError',
  'normalizeEmail',
  'offboard',
  'parseLeaveDate',
  'parseOffboardingFile',
  'parseUserId',
  'plan',
  'planDigest',
  'planReport',
  'reconcilePlan',
  'reportToJson',
  'reviewedPlanOf',
  'sameEntries',
  'settledPlanDigest',
  'summarize',
  'targetsFromInputs',
];

describe('the public API of @smartsheet-offboard/core', () => {
  it('exports exactly the listed names, and no internals', () => {
    expect(Object.keys(core).sort()).toEqual([...PUBLIC_API].sort());
    for (const internal of ['withoutUndefined', 'resultFromEntry', 'smartsheetRequests', 'emailSpellings']) {
      expect(core).not.toHaveProperty(internal);
    }
  });

  it('documents every export in the package README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const undocumented = PUBLIC_API.filter((name) => !readme.includes(`\`${name}`));
    expect(undocumented).toEqual([]);
  });
});

// The type-only import above is the check; this keeps the names in use.
export type PublicTypes = [
  ApplyOptions,
  ApplyOutcome,
  AttemptEvent,
  ChangeSet,
  ClientOptions,
  ConnectionOptions,
  DriftPolicy,
  Eligibility,
  EligibilityContext,
  Finding,
  FindingCode,
  LeaveDateParse,
  ListUsersQuery,
  NormalizedEmail,
  OffboardingFileVersion,
  OffboardRequest,
  OffboardResult,
  Outcome,
  ParsedTargets,
  ParseResult<unknown>,
  Plan,
  PlanEntry,
  PlanOptions,
  PlanOutcome,
  Provenance,
  ReactivateOutcome,
  ReasonCode,
  ReconciledPlan,
  Region,
  Report,
  ReportResult,
  ReviewedPlan,
  ReviewedPlanProblem,
  SmartsheetErrorInfo,
  SmartsheetOperation,
  SmartsheetUser,
  Target,
  TargetSource,
  UserId,
  UsersApi,
  UsersPage,
];

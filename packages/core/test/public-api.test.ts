import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
  'PLAN_OPTION_NAMES',
  'PROBLEM_OUTCOMES',
  'REDACTED',
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
  'describeRetry',
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
  'provenanceFromRecord',
  'reconcilePlan',
  'redactSecrets',
  'reportToJson',
  'reviewedPlanOf',
  'sameEntries',
  'settledPlanDigest',
  'summarize',
  'summaryOutcomes',
  'targetsFromInputs',
  'withApplied',
];

describe('the public API of @smartsheet-offboard/core', () => {
  it('exports exactly the listed names, and no internals', () => {
    expect(Object.keys(core).sort()).toEqual([...PUBLIC_API].sort());
    for (const internal of ['withoutUndefined', 'resultFromEntry', 'smartsheetRequests', 'emailSpellings']) {
      expect(core).not.toHaveProperty(internal);
    }
  });

  it('lists every plan option a person sets in PLAN_OPTION_NAMES', () => {
    // A plan option added without a place in the list (or a reason to be left out) fails to compile here.
    type Unlisted = Exclude<
      keyof core.PlanOptions,
      (typeof core.PLAN_OPTION_NAMES)[number] | 'operation' | 'reviewedPlan' | 'labels' | 'now'
    >;
    const everyOptionListed: [Unlisted] extends [never] ? true : Unlisted = true;
    expect(everyOptionListed).toBe(true);
  });

  it('documents every export in the package README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const undocumented = PUBLIC_API.filter((name) => !readme.includes(`\`${name}`));
    expect(undocumented).toEqual([]);
  });
});

// Every public type, by name: removing or renaming one fails the typecheck of this file.
export type PublicTypes = [
  core.ApplyOptions,
  core.ApplyOutcome,
  core.AttemptEvent,
  core.ChangeSet,
  core.ClientOptions,
  core.ConnectionOptions,
  core.DriftPolicy,
  core.Eligibility,
  core.EligibilityContext,
  core.Finding,
  core.FindingCode,
  core.LeaveDateParse,
  core.ListUsersQuery,
  core.NormalizedEmail,
  core.DriftedUser,
  core.OffboardingFileVersion,
  core.OffboardRequest,
  core.OffboardResult,
  core.OptionLabels,
  core.OptionName,
  core.Outcome,
  core.ParsedTargets,
  core.ParseResult<unknown>,
  core.Plan,
  core.PlanEntry,
  core.PlanOptions,
  core.PlanOutcome,
  core.Provenance,
  core.ReactivateOutcome,
  core.ReasonCode,
  core.ReconciledPlan,
  core.RetryEvent,
  core.Region,
  core.Report,
  core.ReportResult,
  core.ReviewedPlan,
  core.ReviewedPlanProblem,
  core.SmartsheetErrorInfo,
  core.SmartsheetOperation,
  core.SmartsheetUser,
  core.Target,
  core.TargetSource,
  core.UserId,
  core.UsersApi,
  core.UsersPage,
];

import type { Plan, Report, ReportResult } from './types.js';

/** The report of a plan (mode `plan`): what apply would do. */
export function planReport(plan: Plan): Report {
  throw new Error(`not implemented: planReport(${plan.digest})`);
}

/** Counts per outcome, every outcome of the mode present (zero included). */
export function summarize(mode: Report['mode'], results: readonly ReportResult[]): Report['summary'] {
  throw new Error(`not implemented: summarize(${mode}, ${results.length})`);
}

/** 0 when every target ended done; 1 when any is blocked, not found or failed. */
export function exitCodeFor(report: Report): 0 | 1 {
  throw new Error(`not implemented: exitCodeFor(${report.mode})`);
}

/** Serialises a report; IDs stay strings. */
export function reportToJson(report: Report): string {
  return JSON.stringify(report, null, 2);
}

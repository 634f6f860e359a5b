import { exitCodeFor, type OffboardResult, PROBLEM_OUTCOMES } from '@smartsheet-offboard/core';
import type { PullRequestInfo } from './github.js';
import { escapeMessage, type RenderInput, type SourceLinks } from './render.js';
import type { CommentMarkers } from './reviewed-plan.js';

/** What core's run of one unit gave: its result, or the error that stopped it. */
export type Offboarded = (
  | { result: OffboardResult; stopped?: undefined }
  | { stopped: string; result?: undefined }
) & {
  /** Sentences about what reviewers saw (the plan changed, a record kept), shown after the gate's notes. */
  notes: string[];
  /** The hidden lines the comment carries to the next run. */
  markers: CommentMarkers;
};

/** What one unit shows and how it ends, or the notice that there was nothing to do after all. */
export type UnitOutcome = { render: RenderInput; failure?: string } | { nothingToDo: string };

export interface OutcomeContext {
  mode: 'validate' | 'plan' | 'apply';
  /** What the event asked for, before a missing token made it `validate`. */
  asked: 'plan' | 'apply';
  pullRequest?: PullRequestInfo;
  maxDeactivations: number;
  links: SourceLinks;
  runUrl: string;
  /** Sentences from the sources and the gate, shown first. */
  notes: string[];
}

/** A run the gate refused: nothing was asked of Smartsheet, and the summary and comment say why. */
export function refusalOutcome(
  context: OutcomeContext,
  message: string,
  markers: CommentMarkers,
): UnitOutcome {
  return {
    render: {
      maxDeactivations: context.maxDeactivations,
      links: context.links,
      runUrl: context.runUrl,
      mode: context.asked,
      notes: [...context.notes, `**Refused:** ${escapeMessage(message, context.pullRequest?.number)}`],
      failed: true,
      markers,
    },
    failure: message,
  };
}

/** The summary, the comment and the failure of a unit core planned or applied (or that stopped on an error). */
export function offboardOutcome(context: OutcomeContext, offboarded: Offboarded): UnitOutcome {
  const { mode, pullRequest: pr, links, runUrl } = context;
  const base = {
    maxDeactivations: context.maxDeactivations,
    links,
    runUrl,
    mode,
    markers: offboarded.markers,
  };
  const notes = [...context.notes, ...offboarded.notes];
  if (offboarded.result === undefined) {
    return {
      render: {
        ...base,
        notes: [...notes, `**${escapeMessage(offboarded.stopped, pr?.number)}**`],
        failed: true,
      },
      failure: offboarded.stopped,
    };
  }
  const { result } = offboarded;
  if (result.stoppedBecause === 'no-targets') {
    return {
      nothingToDo: pr
        ? `Pull request #${pr.number} adds nobody to the offboarding files (entries kept, moved, re-worded or removed are not applied): nothing to do.`
        : 'The offboarding files name nobody: nothing to do.',
    };
  }
  const kept = result.kept?.length ?? 0;
  if (kept > 0) {
    notes.push(
      `${plural(kept, 'entry was', 'entries were')} already in the offboarding files before this pull request ` +
        '(unchanged, moved, renamed or re-worded): not targets, and not shown.',
    );
  }
  if (mode === 'validate' && result.stoppedBecause === undefined) {
    notes.push(`${plural(result.targets.length, 'entry', 'entries')} checked: no problems found.`);
  }
  if (mode === 'apply' && pr) {
    notes.push(`Applied from commit ${links.sha.slice(0, 7)} of pull request #${pr.number}.`);
  }
  if (result.stoppedBecause === 'over-limit') {
    const consequence = mode === 'apply' ? 'nothing was deactivated' : 'apply would deactivate nobody';
    notes.push(
      `**The plan exceeds max-deactivations (${context.maxDeactivations}): ${consequence}.** ` +
        'Split the offboarding into several pull requests or raise the input.',
    );
  }
  const failure = failureMessage(result);
  return {
    render: {
      ...base,
      report: result.report,
      notes,
      failed: failure !== undefined,
      maxDeactivations: result.plan?.maxDeactivations ?? context.maxDeactivations,
    },
    failure,
  };
}

function failureMessage(result: OffboardResult): string | undefined {
  const { report } = result;
  if (result.stoppedBecause === 'invalid') {
    const count = report.findings?.length ?? 0;
    return `${plural(count, 'problem', 'problems')} in the offboarding files or inputs; nothing was requested from Smartsheet.`;
  }
  if (exitCodeFor(report) === 0) return undefined;
  const counts = [...PROBLEM_OUTCOMES]
    .map((outcome) => [outcome, report.results.filter((r) => r.outcome === outcome).length] as const)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome}`);
  const verb = report.mode === 'plan' ? 'would not end deactivated' : 'did not end deactivated';
  return `Some users ${verb} (${counts.join(', ')}); see the annotations and the job summary.`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

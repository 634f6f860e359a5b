import {
  exitCodeFor,
  type OffboardResult,
  PROBLEM_OUTCOMES,
  settledPlanDigest,
} from '@smartsheet-offboard/core';
import type { Trigger } from './event.js';
import type { GateVerdict } from './gate.js';
import { shortSha } from './github.js';
import { escapeMessage, escapeText, type RenderInput, type SourceLinks } from './render.js';
import type { Sources } from './sources.js';

/** What core's run of the targets gave: its result, or the error that stopped it. */
export type Offboarded = (
  | { result: OffboardResult; planMatchesReview: boolean }
  | { stopped: string; result?: undefined }
) & {
  /** The sentence saying the plan differs from the one reviewers saw, when it does. */
  planChange?: string;
};

/** What the run shows and how it ends, or the notice that there was nothing to do after all. */
export type RunOutcome = { render: RenderInput; failure?: string } | { nothingToDo: string };

export interface OutcomeContext {
  trigger: Trigger;
  sources: Sources;
  maxDeactivations: number;
  links: SourceLinks;
  runUrl: string;
  /** Sentences about the sources (files not read), shown first. */
  notes: string[];
}

type Refusal = Extract<GateVerdict, { verdict: 'refuse' }>;
type Passed = Extract<GateVerdict, { verdict: 'pass' }>;

/** A run the gate refused: nothing was asked of Smartsheet, and the summary and comment say why. */
export function refusalOutcome(context: OutcomeContext, gate: Refusal): RunOutcome {
  const pr = context.sources.pullRequest;
  return {
    render: {
      maxDeactivations: context.maxDeactivations,
      links: context.links,
      runUrl: context.runUrl,
      mode: context.trigger.mode,
      notes: [...context.notes, ...gate.notes, `**Refused:** ${escapeMessage(gate.message, pr?.number)}`],
      failed: true,
      digests: gate.shown,
    },
    failure: gate.message,
  };
}

/** The summary, the comment and the failure of a run core planned or applied (or that stopped on an error). */
export function offboardOutcome(context: OutcomeContext, gate: Passed, offboarded: Offboarded): RunOutcome {
  const { trigger, sources, links, runUrl } = context;
  const pr = sources.pullRequest;
  const base = { maxDeactivations: context.maxDeactivations, links, runUrl };
  const notes = [...context.notes, ...gate.notes];
  const { mode, shown } = gate;
  if (offboarded.planChange) notes.push(`**${escapeText(offboarded.planChange, 2000)}**`);
  if (offboarded.result === undefined) {
    return {
      render: {
        ...base,
        mode,
        notes: [...notes, `**${escapeMessage(offboarded.stopped, pr?.number)}**`],
        failed: true,
        digests: { reviewed: shown.reviewed },
      },
      failure: offboarded.stopped,
    };
  }
  const { result } = offboarded;
  if (result.stoppedBecause === 'no-targets') {
    return { nothingToDo: 'The offboarding files name nobody: nothing to do.' };
  }
  if (mode === 'validate' && result.stoppedBecause === undefined) {
    notes.push(`${plural(result.targets.length, 'entry', 'entries')} checked: no problems found.`);
  }
  if (trigger.mode === 'apply' && pr) {
    notes.push(`Applied from commit ${shortSha(sources.sha)} of pull request #${pr.number}.`);
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
      mode,
      report: result.report,
      notes,
      failed: failure !== undefined,
      maxDeactivations: result.plan?.maxDeactivations ?? context.maxDeactivations,
      digests: {
        reviewed: shown.reviewed,
        settled:
          offboarded.planMatchesReview && result.plan
            ? settledPlanDigest(result.plan, result.report)
            : undefined,
      },
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

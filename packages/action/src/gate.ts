import { checkApprovals } from './approvals.js';
import type { Trigger } from './event.js';
import type { GitHubApi } from './github.js';
import type { ActionInputs } from './inputs.js';
import { escapeText } from './render.js';
import { type ReviewedDigests, shownDigests } from './reviewed-plan.js';
import { requireGitHub, type Sources } from './sources.js';

/** What the gate lets through: how the run goes on, or why it stops before asking Smartsheet anything. */
export type GateVerdict =
  | { verdict: 'nothing-to-do'; notice: string }
  | { verdict: 'refuse'; message: string; notes: string[]; shown: ReviewedDigests }
  | { verdict: 'pass'; mode: 'validate' | 'plan' | 'apply'; notes: string[]; shown: ReviewedDigests };

/**
 * Decides whether the sources may go on to Smartsheet: what reviewers saw (the digests of the sticky
 * comment, read before anything can refuse, since every comment an apply writes carries them forward),
 * a refusal the sources already carry, the approvals an apply needs, and the token it needs.
 */
export async function passGate(
  trigger: Trigger,
  sources: Sources,
  inputs: ActionInputs,
  github: GitHubApi | undefined,
  log: (message: string) => void,
): Promise<GateVerdict> {
  const pr = sources.pullRequest;
  const shown = trigger.mode === 'apply' && pr && github ? await shownDigests(github, pr, log) : {};
  const notes: string[] = [];
  const refuse = (message: string): GateVerdict => ({ verdict: 'refuse', message, notes, shown });

  if (sources.refusal) return refuse(sources.refusal);
  if (sources.nothingToDo) return { verdict: 'nothing-to-do', notice: sources.nothingToDo };
  if (trigger.mode === 'apply' && pr && trigger.event !== 'workflow_dispatch') {
    const status = await checkApprovals(requireGitHub(github, trigger), pr, inputs.requiredApprovals);
    if (!status.satisfied) return refuse(status.message);
    notes.push(
      `${status.message} Approved by ${status.approvers.map((login) => escapeText(login)).join(', ')}.`,
    );
  }
  if (trigger.mode === 'apply' && !inputs.smartsheetToken) {
    return refuse(
      "Input 'smartsheet-token' is empty: a Smartsheet token is needed to apply. Nothing was changed.",
    );
  }
  const mode = inputs.smartsheetToken ? trigger.mode : 'validate';
  if (mode === 'validate') {
    notes.push(
      'No Smartsheet token was given (a pull request from a fork gets no secrets): the files were only ' +
        'validated offline, nothing was looked up in Smartsheet.',
    );
  }
  return { verdict: 'pass', mode, notes, shown };
}

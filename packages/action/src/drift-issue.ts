import type { DriftedUser } from '@smartsheet-offboard/core';
import type { GitHubApi, IssueInfo } from './github.js';
import { escapeText, lineUrl, type SourceLinks } from './render.js';
import { WORKFLOW_TOKEN_LOGIN } from './reviewed-plan.js';

/** Hidden first line of the drift issue's body, so each run finds and updates its own issue. */
export const DRIFT_MARKER = '<!-- smartsheet-offboard:drift -->';

export type DriftIssueChange =
  | { change: 'created' | 'updated' | 'closed'; issue: number }
  | { change: 'none' };

/**
 * Keeps one open issue, labelled `label`, listing the users an earlier apply deactivated who are active
 * again: created when drift first appears, updated on every run that still sees drift, closed when none is
 * left. Only issues the token's own identity opened with the marker count, so an issue someone else opened
 * with the label is never edited or closed, and never a second issue of the action's is opened.
 */
export async function keepDriftIssue(
  api: GitHubApi,
  label: string,
  drifted: readonly DriftedUser[],
  context: { links: SourceLinks; runUrl: string; branch: string },
): Promise<DriftIssueChange> {
  const identity = (await api.tokenLogin()) ?? WORKFLOW_TOKEN_LOGIN;
  const own = (await api.listOpenIssues(label)).filter(
    (issue: IssueInfo) => issue.author === identity && issue.body.startsWith(DRIFT_MARKER),
  );
  const [kept, ...extra] = own;
  // Left over from a run that raced this one: one issue is enough.
  for (const issue of extra) await api.updateIssue(issue.number, { state: 'closed' });
  if (drifted.length === 0) {
    if (!kept) return { change: 'none' };
    await api.updateIssue(kept.number, {
      body: `${DRIFT_MARKER}\nNo drift is left: every user the offboarding files name and an apply deactivated is deactivated again (or no longer named). Closed by [this run](${context.runUrl}).\n`,
      state: 'closed',
    });
    return { change: 'closed', issue: kept.number };
  }
  const body = driftIssueBody(drifted, context);
  if (kept) {
    await api.updateIssue(kept.number, { body });
    return { change: 'updated', issue: kept.number };
  }
  const title = `Smartsheet offboarding drift: ${drifted.length} ${drifted.length === 1 ? 'user is' : 'users are'} active again`;
  return { change: 'created', issue: await api.createIssue(title, body, [label]) };
}

/** The issue's body: who is active again, the entry that still names them, and what to do. */
export function driftIssueBody(
  drifted: readonly DriftedUser[],
  context: { links: SourceLinks; runUrl: string; branch: string },
): string {
  const rows = drifted.map((user) => {
    const source =
      user.source && 'file' in user.source
        ? `[${escapeText(user.source.file)}:${user.source.line}](${lineUrl(context.links, user.source.file, user.source.line)})`
        : '';
    const note = [user.note?.ticket, user.note?.reason]
      .filter((part): part is string => part !== undefined && part !== '')
      .map((part) => escapeText(part))
      .join(': ');
    return `| ${escapeText(user.email ?? user.given)} | ${escapeText(user.id)} | ${source} | ${note} |`;
  });
  return [
    DRIFT_MARKER,
    `These users were deactivated by an approved offboarding, are still named in the offboarding files on ${escapeText(context.branch)}, and are active in Smartsheet again (someone reactivated them).`,
    '',
    '| User | ID | Entry | Ticket / note |',
    '| --- | ---: | --- | --- |',
    ...rows,
    '',
    'If the reactivation was meant (a rehire, a mistake), remove the entry through a pull request: a removed entry is never deactivated again. ' +
      'If it was not, deactivate them again: set `drift: revert` for one reconcile run, or run the workflow with `user-ids`.',
    '',
    `Updated by [this run](${context.runUrl}); closed by the first run that finds no drift.`,
    '',
  ].join('\n');
}

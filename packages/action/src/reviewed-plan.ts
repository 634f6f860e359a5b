import {
  decodeReviewedPlan,
  encodeReviewedPlan,
  type Plan,
  type ReviewedPlan,
  reviewedPlanOf,
} from '@smartsheet-offboard/core';
import type { GitHubApi, IssueComment, PullRequestInfo } from './github.js';

/** Hidden first line that identifies the action's comment, so each run updates it instead of adding one. */
export const COMMENT_MARKER = '<!-- smartsheet-offboard:sticky-comment -->';

/** The login the workflow's own token (`GITHUB_TOKEN`) comments as. */
export const WORKFLOW_TOKEN_LOGIN = 'github-actions[bot]';

const RECORD_LINE = /^<!-- smartsheet-offboard:reviewed-plan (v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) -->$/;
const SETTLED_LINE = /^<!-- smartsheet-offboard:settled-digest (sha256:[0-9a-f]{64}) -->$/;

/** What the hidden lines at the top of the comment carry from one run to the next. */
export interface CommentMarkers {
  /** The encoded reviewed-plan record of the plan run, carried forward verbatim by every apply. */
  record?: string;
  /**
   * After an apply of the reviewed plan: the digest a new plan has when nothing but that apply changed
   * Smartsheet, so a re-run of the apply is no change from what was reviewed.
   */
  settled?: string;
}

/** The hidden lines that carry `markers`, written first in the summary and the comment. */
export function markerLines(markers: CommentMarkers): string[] {
  return [
    ...(markers.record ? [`<!-- smartsheet-offboard:reviewed-plan ${markers.record} -->`] : []),
    ...(markers.settled ? [`<!-- smartsheet-offboard:settled-digest ${markers.settled} -->`] : []),
  ];
}

/** The markers at the top of a rendered comment only (text from files is escaped and never comes first). */
export function readMarkers(markdown: string): CommentMarkers {
  const markers: CommentMarkers = {};
  for (const line of markdown.split('\n')) {
    const record = RECORD_LINE.exec(line);
    const settled = SETTLED_LINE.exec(line);
    if (record) markers.record = record[1];
    else if (settled) markers.settled = settled[1];
    else if (line !== COMMENT_MARKER) break;
  }
  return markers;
}

/** What the pull request's own comment says reviewers saw, for the commit that must have been reviewed. */
export interface ReviewedState {
  /** The hidden lines of the action's latest comment that has a record, as written: carried forward. */
  markers: CommentMarkers;
  /** The authenticated record for this pull request and commit, when there is one. */
  record?: ReviewedPlan;
  /** Why no record counts, for the refusal: none found, or one that does not verify or is for another commit. */
  problem?: string;
}

/**
 * Reads the reviewed-plan record from the action's own latest comment on the pull request. Only a record
 * that verifies with the Smartsheet token, for this repository, pull request and `commit`, counts: a
 * forged or altered one, one made before the token was rotated, or one for an earlier commit does not.
 */
export async function readReviewedState(
  api: GitHubApi,
  pr: PullRequestInfo,
  commit: string,
  token: string | undefined,
  scope: string,
): Promise<ReviewedState> {
  const comments = await ownStickyComments(api, pr.number);
  const markers = comments.map((comment) => readMarkers(comment.body)).filter((found) => found.record);
  const latest = markers.at(-1);
  if (!latest?.record) {
    return {
      markers: {},
      problem: `no plan run of the action commented a reviewed plan on pull request #${pr.number}`,
    };
  }
  if (token === undefined)
    return { markers: latest, problem: 'no Smartsheet token to verify the reviewed plan' };
  const decoded = decodeReviewedPlan(latest.record, token, { scope, change: pr.number, commit });
  if ('problem' in decoded) {
    const why = {
      malformed: 'its reviewed-plan record is damaged',
      unauthenticated:
        'its reviewed-plan record does not verify with the Smartsheet token (altered, forged, or made before the token was rotated)',
      'other-commit': `its reviewed-plan record is for another commit than ${commit.slice(0, 7)}`,
    }[decoded.problem];
    return {
      markers: latest,
      problem: `the action's comment on pull request #${pr.number} does not count: ${why}`,
    };
  }
  return { markers: latest, record: decoded.record };
}

/**
 * The record a plan run writes: for this commit the first plan's record stands, so re-running the plan
 * later (reopening the pull request, a re-run) cannot swap the users reviewers approved for new ones. The
 * users an entry resolves to now but reviewers did not see are then held as `not-reviewed` at apply.
 */
export function recordToWrite(
  plan: Plan,
  binding: { scope: string; change: number; commit: string },
  earlier: ReviewedState,
  token: string,
): { encoded: string; kept: boolean } {
  // A plan run again on the commit keeps what its applies recorded.
  const applied = earlier.record?.applied;
  const fresh = { ...reviewedPlanOf(plan, binding), ...(applied && { applied }) };
  if (earlier.record && earlier.markers.record && !sameUsers(earlier.record, fresh)) {
    return { encoded: earlier.markers.record, kept: true };
  }
  return { encoded: encodeReviewedPlan(fresh, token), kept: false };
}

function sameUsers(a: ReviewedPlan, b: ReviewedPlan): boolean {
  const keys = Object.keys(b.users);
  return keys.length === Object.keys(a.users).length && keys.every((key) => a.users[key] === b.users[key]);
}

/**
 * Replaces the record in the action's own latest comment that carries one (what a reconcile run's applies add
 * to it), leaving the rest of the comment as the plan or apply wrote it. False when there is no such comment.
 */
export async function rewriteRecord(api: GitHubApi, issueNumber: number, encoded: string): Promise<boolean> {
  const latest = (await ownStickyComments(api, issueNumber))
    .filter((comment) => readMarkers(comment.body).record)
    .at(-1);
  if (!latest) return false;
  const lines = latest.body.split('\n');
  const at = lines.findIndex((line) => RECORD_LINE.test(line));
  lines[at] = markerLines({ record: encoded })[0]!;
  await api.updateComment(latest.id, lines.join('\n'));
  return true;
}

/** Creates or updates the one comment of this action on the pull request (the latest of its own). */
export async function upsertStickyComment(
  api: GitHubApi,
  issueNumber: number,
  body: string,
): Promise<'created' | 'updated'> {
  const marked = `${COMMENT_MARKER}\n${body}`;
  for (const comment of (await ownStickyComments(api, issueNumber)).reverse()) {
    try {
      await api.updateComment(comment.id, marked);
      return 'updated';
    } catch (error) {
      if (!isForbiddenOrMissing(error)) throw error;
    }
  }
  await api.createComment(issueNumber, marked);
  return 'created';
}

/**
 * The marked comments the token's own identity wrote on the pull request, oldest first: its user's login,
 * or `github-actions[bot]` for the workflow's token (which has no user). A comment another account or app
 * planted with the marker is neither believed nor overwritten.
 */
export async function ownStickyComments(api: GitHubApi, issueNumber: number): Promise<IssueComment[]> {
  const marked = (await api.listComments(issueNumber)).filter((comment) =>
    comment.body.startsWith(COMMENT_MARKER),
  );
  if (marked.length === 0) return [];
  const identity = (await api.tokenLogin()) ?? WORKFLOW_TOKEN_LOGIN;
  return marked.filter((comment) => comment.author === identity);
}

function isForbiddenOrMissing(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return status === 403 || status === 404;
}

import type { GitHubApi, IssueComment, PullRequestInfo } from './github.js';

/**
 * What an apply compares its plan with, kept in hidden markers of the pull request comment so that every
 * later apply of the same pull request compares with the plan reviewers saw, not with the previous apply.
 */
export interface ReviewedDigests {
  /** The digest of the last plan run on the pull request: what reviewers saw. */
  reviewed?: string;
  /**
   * After an apply of the reviewed plan: the digest a new plan has when nothing but that apply changed
   * Smartsheet, so a re-run of the apply is no change from what was reviewed.
   */
  settled?: string;
}

const DIGEST_MARKER = /^<!-- smartsheet-offboard:(reviewed|settled)-digest (sha256:[0-9a-f]{64}) -->$/;

/** The hidden lines that carry `digests`, written first in the summary and the comment. */
export function digestMarkers(digests: ReviewedDigests): string[] {
  return (['reviewed', 'settled'] as const)
    .filter((kind) => digests[kind] !== undefined && /^sha256:[0-9a-f]{64}$/.test(digests[kind]))
    .map((kind) => `<!-- smartsheet-offboard:${kind}-digest ${digests[kind]} -->`);
}

/**
 * The digests a rendered summary or comment carried forward, read from the markers at its top only (text
 * from files and pull requests is escaped, and never comes first). Markdown rendered before the markers
 * existed: a plan's shows the plan reviewers saw; an apply's shows only what it applied, so nothing.
 */
export function reviewedDigests(markdown: string): ReviewedDigests {
  const digests: ReviewedDigests = {};
  const lines = markdown.split('\n');
  for (const line of lines) {
    const match = DIGEST_MARKER.exec(line);
    if (!match) break;
    digests[match[1] as keyof ReviewedDigests] = match[2];
  }
  if (Object.keys(digests).length > 0) return digests;
  if (!/^### [✅❌] Smartsheet offboarding plan$/.test(lines[0] ?? '')) return {};
  const shown = shownPlanDigest(markdown);
  return shown === undefined ? {} : { reviewed: shown };
}

/**
 * The plan digest a rendered summary or comment shows, read back from the safety-cap line the renderer
 * writes (text from files is escaped, so it cannot forge that line's code span).
 */
export function shownPlanDigest(markdown: string): string | undefined {
  return /^Safety cap: .*\(this run: \d+\)\. Plan digest: `(sha256:[0-9a-f]{64})`\.$/m.exec(markdown)?.[1];
}

/**
 * The digests the pull request's own sticky comment carries. Not finding them (no comment yet, or GitHub
 * not answering) only means there is nothing to compare with: `log` says why.
 */
export async function shownDigests(
  github: GitHubApi,
  pr: PullRequestInfo,
  log: (message: string) => void,
): Promise<ReviewedDigests> {
  try {
    const digests = (await ownStickyComments(github, pr.number))
      .map((comment) => reviewedDigests(comment.body.slice(COMMENT_MARKER.length).replace(/^\n/, '')))
      .filter((digests) => digests.reviewed !== undefined);
    return digests.at(-1) ?? {};
  } catch (error) {
    log(
      `Could not read the comments of pull request #${pr.number} to compare the reviewed plan: ${error instanceof Error ? error.message : String(error)}.`,
    );
    return {};
  }
}

/** Hidden first line that identifies the action's comment, so each run updates it instead of adding one. */
export const COMMENT_MARKER = '<!-- smartsheet-offboard:sticky-comment -->';

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
 * The marked comments this action wrote on the pull request, oldest first: only one written by a bot or by
 * the token's own user is ours. A token with write access may edit anyone's comment, so a comment someone
 * planted with the marker must neither be updated (its author could rewrite the plan reviewers read) nor
 * be believed.
 */
export async function ownStickyComments(api: GitHubApi, issueNumber: number): Promise<IssueComment[]> {
  const markedComments = (await api.listComments(issueNumber)).filter((comment) =>
    comment.body.startsWith(COMMENT_MARKER),
  );
  const tokenLogin = markedComments.some((comment) => !comment.authorIsBot)
    ? await api.tokenLogin()
    : undefined;
  return markedComments.filter(
    (comment) => comment.authorIsBot || (tokenLogin !== undefined && comment.author === tokenLogin),
  );
}

function isForbiddenOrMissing(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return status === 403 || status === 404;
}

import { type GitHubApi, type PullRequestInfo, type Review, shortSha } from './github.js';

/** Permission levels (`GET …/collaborators/{user}/permission`) that may merge, and so may approve. */
const WRITE_PERMISSIONS = new Set(['admin', 'write']);

/**
 * Reviewers whose approval still stands on the pull request's final commit: per reviewer other than the
 * author, the latest review that expresses a decision (comments do not change a decision) must be an
 * approval of `headSha`. A later request for changes or a dismissal withdraws it; an approval of an
 * earlier commit does not vouch for what was pushed after it.
 */
export function standingApprovers(pr: PullRequestInfo, reviews: readonly Review[]): string[] {
  const latestDecision = new Map<string, Review>();
  for (const review of reviews) {
    // A bot's approval vouches for no person: a workflow token can approve whatever its workflow is told to.
    if (!review.reviewer || review.reviewer === pr.author || review.reviewerIsBot) continue;
    if (review.state === 'COMMENTED' || review.state === 'PENDING') continue;
    latestDecision.set(review.reviewer, review);
  }
  return [...latestDecision.entries()]
    .filter(([, review]) => review.state === 'APPROVED' && review.commitId === pr.headSha)
    .map(([reviewer]) => reviewer)
    .sort();
}

export interface ApprovalStatus {
  satisfied: boolean;
  /** Reviewers whose approval counts, sorted. */
  approvers: string[];
  /** One sentence for the summary, the comment and the failure. */
  message: string;
}

/**
 * Whether the pull request has `requiredApprovals` standing approvals from people (not bots) with write
 * access to the repository: on a public repository anyone can approve, and only those who could merge
 * should count.
 */
export async function checkApprovals(
  api: GitHubApi,
  pr: PullRequestInfo,
  requiredApprovals: number,
): Promise<ApprovalStatus> {
  const approvers: string[] = [];
  for (const reviewer of standingApprovers(pr, await api.listReviews(pr.number))) {
    if (WRITE_PERMISSIONS.has(await api.permissionOf(reviewer))) approvers.push(reviewer);
  }
  const satisfied = approvers.length >= requiredApprovals;
  const counted = `${approvers.length} of the ${requiredApprovals} required`;
  const message = satisfied
    ? `Pull request #${pr.number} has ${counted} approvals on its final commit ${shortSha(pr.headSha)}.`
    : `Pull request #${pr.number} has ${counted} approvals from reviewers with write access other than its ` +
      `author standing on its final commit ${shortSha(pr.headSha)}; nothing was changed.`;
  return { satisfied, approvers, message };
}

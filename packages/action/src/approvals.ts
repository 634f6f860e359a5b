import {
  type GitHubApi,
  type PullRequestCommit,
  type PullRequestInfo,
  type Review,
  shortSha,
} from './github.js';

/** Permission levels (`GET …/collaborators/{user}/permission`) that may merge, and so may approve. */
const WRITE_PERMISSIONS = new Set(['admin', 'write']);

/** GitHub lists at most this many commits of a pull request. */
export const MAX_LISTED_COMMITS = 250;

export interface ApprovalStatus {
  satisfied: boolean;
  /** Reviewers whose approval counts, sorted. */
  approvers: string[];
  /** Reviewers with write access whose request for changes stands, sorted. */
  changesRequestedBy: string[];
  /** Approvals that do not count because their reviewer wrote some of the change. */
  contributorsApproving: string[];
  /** One sentence for the summary, the comment and the failure. */
  message: string;
}

/**
 * Each reviewer's standing decision: the latest review that decides (comments and pending reviews do not),
 * so a later request for changes or a dismissal withdraws an approval, and a later approval lifts a request.
 */
export function standingDecisions(reviews: readonly Review[]): Map<string, Review> {
  const latest = new Map<string, Review>();
  for (const review of reviews) {
    if (!review.reviewer || review.state === 'COMMENTED' || review.state === 'PENDING') continue;
    latest.set(review.reviewer, review);
  }
  return latest;
}

/** Everyone GitHub links to a commit of the pull request as its author or committer. */
export function contributors(commits: readonly PullRequestCommit[]): Set<string> {
  return new Set(
    commits.flatMap((commit) => [commit.author, commit.committer]).filter((login) => login !== undefined),
  );
}

/**
 * The approval rules, pure. An approval counts when it stands on the final head commit and its reviewer
 * has write access, is a person (a workflow or app token approves whatever its workflow says), is not the
 * author and authored or committed none of the pull request's commits (who wrote a change cannot review
 * it). A standing request for changes from anyone with write access refuses, whatever the approvals.
 */
export function decideApprovals(
  pr: PullRequestInfo,
  reviews: readonly Review[],
  commits: readonly PullRequestCommit[],
  canWrite: ReadonlySet<string>,
  requiredApprovals: number,
): ApprovalStatus {
  const decisions = standingDecisions(reviews);
  const wrote = contributors(commits);
  const changesRequestedBy: string[] = [];
  const approvers: string[] = [];
  const contributorsApproving: string[] = [];
  for (const [reviewer, review] of decisions) {
    if (!canWrite.has(reviewer)) continue;
    if (review.state === 'CHANGES_REQUESTED') changesRequestedBy.push(reviewer);
    if (review.state !== 'APPROVED' || review.commitId !== pr.headSha) continue;
    if (review.reviewerIsBot || reviewer === pr.author) continue;
    if (wrote.has(reviewer)) contributorsApproving.push(reviewer);
    else approvers.push(reviewer);
  }
  approvers.sort();
  changesRequestedBy.sort();
  contributorsApproving.sort();
  const head = shortSha(pr.headSha);
  const counted = `${approvers.length} of the ${requiredApprovals} required`;
  const excluded =
    contributorsApproving.length > 0
      ? ` (not counted: ${contributorsApproving.join(', ')}, who authored or committed some of its commits)`
      : '';
  let message: string;
  if (changesRequestedBy.length > 0) {
    message =
      `Pull request #${pr.number} has a standing request for changes from ${changesRequestedBy.join(', ')}; ` +
      'nothing was changed. The request must be resolved (a new review that approves) or dismissed first.';
  } else if (approvers.length >= requiredApprovals) {
    message = `Pull request #${pr.number} has ${counted} approvals on its final commit ${head}.`;
  } else {
    message =
      `Pull request #${pr.number} has ${counted} approvals on its final commit ${head} from reviewers with write ` +
      `access who did not write any of it${excluded}; nothing was changed.`;
  }
  return {
    satisfied: changesRequestedBy.length === 0 && approvers.length >= requiredApprovals,
    approvers,
    changesRequestedBy,
    contributorsApproving,
    message,
  };
}

/**
 * Asks GitHub for the reviews, the commits and the permissions the rules need; refuses a pull request
 * with more commits than GitHub lists, whose authors could not all be seen.
 */
export async function checkApprovals(
  api: GitHubApi,
  pr: PullRequestInfo,
  requiredApprovals: number,
): Promise<ApprovalStatus> {
  const reviews = await api.listReviews(pr.number);
  const commits = await api.listPullRequestCommits(pr.number);
  if (commits.length >= MAX_LISTED_COMMITS) {
    return {
      satisfied: false,
      approvers: [],
      changesRequestedBy: [],
      contributorsApproving: [],
      message:
        `Pull request #${pr.number} has ${MAX_LISTED_COMMITS} or more commits, more than GitHub lists, so who wrote ` +
        'them cannot be checked; nothing was changed. Squash its commits or split it.',
    };
  }
  const canWrite = new Set<string>();
  for (const reviewer of standingDecisions(reviews).keys()) {
    if (WRITE_PERMISSIONS.has(await api.permissionOf(reviewer))) canWrite.add(reviewer);
  }
  return decideApprovals(pr, reviews, commits, canWrite, requiredApprovals);
}

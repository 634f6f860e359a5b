import { error, notFound, ok, over, page, type Reply, tokenUser } from './github-replies.js';
import type { FakeIssue, FakeRepository } from './github-repository.js';
import { documentedExample, type MatchedOperation, type RestRequest } from './github-rest.js';

interface IssueChange {
  title?: string;
  body?: string;
  labels?: (string | { name?: string })[];
  state?: 'open' | 'closed';
  state_reason?: FakeIssue['state_reason'];
}

/**
 * The fake GitHub API's answers about issues: a repository's issues (filtered by state and labels, pull
 * requests among them as on GitHub), and creating and updating one. Undefined for any other operation.
 */
export function answerIssues(
  repository: FakeRepository,
  matched: MatchedOperation,
  request: RestRequest,
  url: URL,
): Reply | undefined {
  const change = (request.body ?? {}) as IssueChange;
  switch (matched.operationId) {
    case 'issues/list-for-repo': {
      const { query } = request;
      const state = query.get('state') ?? 'open';
      // An issue must carry every label asked for.
      const labels = (query.get('labels') ?? '').split(',').filter((label) => label !== '');
      const sort = query.get('sort') ?? 'created';
      // Issue numbers follow creation, so they order by it; the fake keeps no other dates or counts.
      if (sort !== 'created') return error(422, `this fake sorts issues by created only, not ${sort}`);
      const direction = query.get('direction') === 'asc' ? 1 : -1;
      const [template] = documentedExample(matched.operationId) as object[];
      const issues = repository.issues
        .filter((issue) => state === 'all' || issue.state === state)
        .filter((issue) => labels.every((label) => issue.labels.includes(label)))
        .sort((a, b) => direction * (a.number - b.number))
        .map((issue) => issueObject(repository, template, issue));
      return page(repository, url, issues);
    }
    case 'issues/create': {
      const issue: FakeIssue = {
        number: nextNumber(repository),
        title: change.title!,
        body: change.body ?? null,
        labels: (change.labels ?? []).map((label) =>
          typeof label === 'string' ? label : (label.name ?? ''),
        ),
        state: 'open',
        user: tokenUser(repository),
      };
      repository.issues.push(issue);
      const created = issueObject(repository, documentedExample(matched.operationId, '201'), issue);
      return { status: 201, body: created, headers: { location: (created as { url: string }).url } };
    }
    case 'issues/update': {
      const issue = repository.issues.find(
        (candidate) => candidate.number === Number(matched.params.issue_number),
      );
      if (!issue) return notFound();
      // The fields the action changes.
      if (change.body !== undefined) issue.body = change.body;
      if (change.state === 'closed') issue.state_reason = change.state_reason ?? 'completed';
      else if (change.state === 'open' && issue.state === 'closed') issue.state_reason = 'reopened';
      if (change.state !== undefined) issue.state = change.state;
      return ok(issueObject(repository, documentedExample(matched.operationId), issue));
    }
    default:
      return undefined;
  }
}

/** GitHub numbers issues and pull requests in one sequence. */
function nextNumber(repository: FakeRepository): number {
  return Math.max(0, ...repository.pulls.keys(), ...repository.issues.map((issue) => issue.number)) + 1;
}

function issueObject(repository: FakeRepository, template: unknown, issue: FakeIssue): unknown {
  const example = template as { user: object; labels: object[]; pull_request: object; updated_at: string };
  const api = `https://api.github.com/repos/${repository.owner}/${repository.repo}`;
  const html = `https://github.com/${repository.owner}/${repository.repo}`;
  return over(example, {
    id: issue.number,
    number: issue.number,
    url: `${api}/issues/${issue.number}`,
    html_url: `${html}/${issue.pull_request ? 'pull' : 'issues'}/${issue.number}`,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason ?? null,
    closed_at: issue.state === 'closed' ? example.updated_at : null,
    closed_by: null,
    locked: false,
    active_lock_reason: null,
    user: issue.user && over(example.user, issue.user),
    labels: issue.labels.map((name, i) =>
      over(example.labels[0], {
        id: i + 1,
        name,
        url: `${api}/labels/${encodeURIComponent(name)}`,
        default: false,
      }),
    ),
    // GitHub's example is a pull request; an issue has no `pull_request` at all.
    pull_request: issue.pull_request
      ? over(example.pull_request, {
          url: `${api}/pulls/${issue.number}`,
          html_url: `${html}/pull/${issue.number}`,
          diff_url: `${html}/pull/${issue.number}.diff`,
          patch_url: `${html}/pull/${issue.number}.patch`,
        })
      : undefined,
  });
}

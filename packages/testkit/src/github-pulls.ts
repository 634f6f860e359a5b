import { pullFiles } from './github-history.js';
import { notFound, ok, over, page, type Reply, userOf } from './github-replies.js';
import type { FakePull, FakeRepository } from './github-repository.js';
import { documentedExample, type MatchedOperation } from './github-rest.js';

/**
 * The fake GitHub API's answers about pull requests: a pull request, its files, commits and reviews, the pull
 * requests of a commit, and collaborators' permissions. Undefined for any other operation.
 */
export function answerPulls(
  repository: FakeRepository,
  matched: MatchedOperation,
  url: URL,
): Reply | undefined {
  const { params } = matched;
  const pullNumber = Number(params.pull_number);
  switch (matched.operationId) {
    case 'pulls/get': {
      const pull = repository.pulls.get(pullNumber);
      if (!pull) return notFound();
      const changedFiles = pull.changed_files ?? pullFiles(repository, pullNumber).length;
      return ok(pullRequest({ ...pull, changed_files: changedFiles }, documentedExample('pulls/get')));
    }
    case 'pulls/list-files': {
      const [template] = documentedExample('pulls/list-files') as object[];
      const files = pullFiles(repository, pullNumber).map((file) => over(template, file));
      return page(repository, url, files);
    }
    case 'pulls/list-reviews': {
      const [template] = documentedExample('pulls/list-reviews') as object[];
      const reviews = (repository.reviews.get(pullNumber) ?? []).map((review, i) =>
        over(template, { ...review, id: i + 1, user: review.user && over(userOf(template), review.user) }),
      );
      return page(repository, url, reviews);
    }
    case 'repos/list-pull-requests-associated-with-commit': {
      const [template] = documentedExample(matched.operationId) as object[];
      const pulls = (repository.commitPulls.get(params.commit_sha!) ?? []).map((pull) =>
        // A pull request in a list carries no file count.
        pullRequest({ ...pull, changed_files: undefined }, template),
      );
      return page(repository, url, pulls);
    }
    case 'repos/get-collaborator-permission-level': {
      const permission = repository.permissions.get(params.username!);
      if (permission === undefined) return notFound();
      const example = documentedExample(matched.operationId) as { user: object };
      return ok(
        over(example, {
          permission,
          role_name: permission,
          // GitHub's example omits `role_name` on the user, which its schema requires.
          user: over(example.user, { login: params.username, role_name: permission }),
        }),
      );
    }
    case 'pulls/list-commits': {
      const [template] = documentedExample('pulls/list-commits') as object[];
      const pull = repository.pulls.get(pullNumber);
      const commits = repository.pullCommits.get(pullNumber) ?? [
        { sha: pull?.head.sha ?? '', author: pull?.user ?? null, committer: pull?.user ?? null },
      ];
      return page(
        repository,
        url,
        commits.map((commit) =>
          over(template, {
            sha: commit.sha,
            author: commit.author && over(userOf(template), commit.author),
            committer: commit.committer && over(userOf(template), commit.committer),
          }),
        ),
      );
    }
    default:
      return undefined;
  }
}

function pullRequest(pull: FakePull, template: unknown): unknown {
  const example = template as { user: object };
  return over(example, {
    ...pull,
    id: pull.number,
    state: pull.state ?? (pull.merged_at === null ? 'open' : 'closed'),
    ...('merged' in example ? { merged: pull.merged_at !== null } : {}),
    closed_at: pull.merged_at,
    // GitHub's example team lacks the `type` its schema requires; the fake has no teams.
    requested_teams: [],
    user: pull.user && over(example.user, pull.user),
  });
}

import { createHash } from 'node:crypto';
import { error, notFound, ok, over, type Reply } from './github-replies.js';
import type { FakeFile, FakeRepository } from './github-repository.js';
import { documentedExample, type MatchedOperation, type RestRequest } from './github-rest.js';

/**
 * The fake GitHub API's answers from the repository's history: `compare`, a single commit and file contents.
 * Undefined for any other operation.
 */
export function answerHistory(
  repository: FakeRepository,
  matched: MatchedOperation,
  request: RestRequest,
  url: URL,
): Reply | undefined {
  const { params } = matched;
  switch (matched.operationId) {
    case 'repos/compare-commits-with-basehead': {
      const [base = '', head = ''] = params.basehead!.split('...');
      const comparison = compare(
        repository,
        repository.branches.get(base) ?? base,
        repository.branches.get(head) ?? head,
      );
      if (!comparison) return notFound();
      const example = documentedExample(matched.operationId) as {
        commits: object[];
        merge_base_commit: object;
      };
      const perPage = Number(url.searchParams.get('per_page') ?? 250);
      const page = Number(url.searchParams.get('page') ?? 1);
      return ok(
        over(example, {
          status: comparison.status,
          ahead_by: comparison.commits.length,
          total_commits: comparison.commits.length,
          merge_base_commit: over(example.merge_base_commit, { sha: comparison.mergeBase }),
          commits: comparison.commits
            .slice((page - 1) * perPage, page * perPage)
            .map((sha) => over(example.commits[0]!, { sha, parents: parentsOf(repository, sha) })),
          files: [],
        }),
      );
    }
    case 'repos/get-commit': {
      const commit = repository.commits.get(params.ref!);
      if (!commit) return error(422, `No commit found for SHA: ${params.ref}`);
      const example = documentedExample(matched.operationId) as { files: object[] };
      const perPage = Number(url.searchParams.get('per_page') ?? 300);
      const page = Number(url.searchParams.get('page') ?? 1);
      const parent =
        commit.parents[0] === undefined ? {} : (repository.commits.get(commit.parents[0])?.tree ?? {});
      return ok(
        over(example, {
          sha: params.ref,
          parents: parentsOf(repository, params.ref!),
          files: changedFiles(parent, commit.tree)
            .slice((page - 1) * perPage, page * perPage)
            .map((file) =>
              over(example.files[0]!, {
                sha: createHash('sha1')
                  .update(commit.tree[file.filename] ?? '')
                  .digest('hex'),
                contents_url: `https://api.github.com/repos/${repository.owner}/${repository.repo}/contents/${file.filename}`,
                ...file,
              }),
            ),
        }),
      );
    }
    case 'repos/get-content': {
      const ref = request.query.get('ref') ?? '';
      const content =
        repository.contents.get(`${ref}:${params.path}`) ??
        repository.commits.get(repository.branches.get(ref) ?? ref)?.tree[params.path!];
      if (content === undefined) return notFound();
      // GitHub serves raw bytes for `application/vnd.github.raw` (and the older `vnd.github.v3.raw`).
      if (!/application\/vnd\.github(\.v3)?\.raw/.test(request.accept ?? '')) {
        return error(415, 'this fake serves raw content only');
      }
      return { status: 200, raw: Buffer.from(content) };
    }
    default:
      return undefined;
  }
}

/** The files of a pull request: as set, or its head compared with its merge base in the history. */
export function pullFiles(repository: FakeRepository, pullNumber: number): FakeFile[] {
  const listed = repository.files.get(pullNumber);
  if (listed) return listed;
  const pull = repository.pulls.get(pullNumber);
  // A merged pull request keeps the files it had when merged: compared with its merge commit's first parent.
  const mergedInto = pull?.merge_commit_sha
    ? repository.commits.get(pull.merge_commit_sha)?.parents[0]
    : undefined;
  const base = pull && (mergedInto ?? repository.branches.get(pull.base.ref));
  const comparison = pull && base ? compare(repository, base, pull.head.sha) : undefined;
  if (!pull || !comparison) return [];
  return changedFiles(
    repository.commits.get(comparison.mergeBase)!.tree,
    repository.commits.get(pull.head.sha)!.tree,
  );
}

function parentsOf(repository: FakeRepository, sha: string) {
  const { owner, repo } = repository;
  const base = `https://api.github.com/repos/${owner}/${repo}/commits`;
  return (repository.commits.get(sha)?.parents ?? []).map((parent) => ({
    sha: parent,
    url: `${base}/${parent}`,
    html_url: `https://github.com/${owner}/${repo}/commit/${parent}`,
  }));
}

/** What `compare/{base}...{head}` says, from the history: undefined when either commit is unknown. */
function compare(repository: FakeRepository, base: string, head: string) {
  const { commits: history } = repository;
  if (!history.has(base) || !history.has(head)) return undefined;
  const ancestors = (sha: string): string[] => {
    const order: string[] = [];
    const seen = new Set<string>();
    const visit = (current: string) => {
      if (seen.has(current)) return;
      seen.add(current);
      for (const parent of history.get(current)?.parents ?? []) visit(parent);
      order.push(current);
    };
    visit(sha);
    return order; // Oldest first.
  };
  const ofBase = new Set(ancestors(base));
  const ofHead = ancestors(head);
  const commits = ofHead.filter((sha) => !ofBase.has(sha));
  const mergeBase = [...ofHead].reverse().find((sha) => ofBase.has(sha)) ?? base;
  const status =
    base === head
      ? 'identical'
      : commits.length === 0
        ? 'behind'
        : ofBase.has(mergeBase) && mergeBase === base
          ? 'ahead'
          : 'diverged';
  return { status, mergeBase, commits };
}

/** The files `after` changes compared with `before`, as GitHub lists them (a moved file is `renamed`). */
function changedFiles(before: Record<string, string>, after: Record<string, string>): FakeFile[] {
  const files: FakeFile[] = [];
  const removed = Object.keys(before).filter((path) => !(path in after));
  for (const [path, content] of Object.entries(after)) {
    if (before[path] === content) continue;
    const movedFrom = path in before ? undefined : removed.find((old) => before[old] === content);
    if (movedFrom) {
      removed.splice(removed.indexOf(movedFrom), 1);
      files.push({ filename: path, status: 'renamed', previous_filename: movedFrom });
    } else files.push({ filename: path, status: path in before ? 'modified' : 'added' });
  }
  for (const path of removed) files.push({ filename: path, status: 'removed' });
  return files.sort((a, b) => a.filename.localeCompare(b.filename));
}

import { createHash } from 'node:crypto';
import { error, notFound, ok, over, page, type Reply } from './github-replies.js';
import type { FakeFile, FakeRepository } from './github-repository.js';
import { documentedExample, type MatchedOperation, type RestRequest } from './github-rest.js';

/**
 * The fake GitHub API's answers from the repository's history: the repository (its default branch),
 * `compare`, a single commit, the commits that changed a file, a commit's tree and file contents. A branch
 * name is taken wherever GitHub takes one for a commit. Undefined for any other operation.
 */
export function answerHistory(
  repository: FakeRepository,
  matched: MatchedOperation,
  request: RestRequest,
  url: URL,
): Reply | undefined {
  const { params } = matched;
  const { owner, repo } = repository;
  switch (matched.operationId) {
    case 'repos/get': {
      const example = documentedExample(matched.operationId) as { owner: object };
      return ok(
        over(example, {
          id: repository.repositoryId,
          name: repo,
          full_name: `${owner}/${repo}`,
          owner: over(example.owner, { login: owner }),
          default_branch: repository.defaultBranch,
          // GitHub's example omits `language`, which its schema requires, and says `fork: false` yet carries a
          // fork's `parent` and `source`.
          language: null,
          parent: undefined,
          source: undefined,
        }),
      );
    }
    case 'repos/compare-commits-with-basehead': {
      const [base = '', head = ''] = params.basehead!.split('...');
      const comparison = compare(repository, commitOf(repository, base), commitOf(repository, head));
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
      const sha = commitOf(repository, params.ref!);
      const commit = repository.commits.get(sha);
      if (!commit) return error(422, `No commit found for SHA: ${params.ref}`);
      const example = documentedExample(matched.operationId) as { files: object[] };
      const perPage = Number(url.searchParams.get('per_page') ?? 300);
      const page = Number(url.searchParams.get('page') ?? 1);
      const parent =
        commit.parents[0] === undefined ? {} : (repository.commits.get(commit.parents[0])?.tree ?? {});
      return ok(
        over(example, {
          sha,
          parents: parentsOf(repository, sha),
          files: changedFiles(parent, commit.tree)
            .slice((page - 1) * perPage, page * perPage)
            .map((file) =>
              over(example.files[0]!, {
                sha: sha1(commit.tree[file.filename] ?? ''),
                contents_url: `https://api.github.com/repos/${owner}/${repo}/contents/${file.filename}`,
                ...file,
              }),
            ),
        }),
      );
    }
    case 'repos/list-commits': {
      const ref = request.query.get('sha') ?? repository.defaultBranch;
      const tip = commitOf(repository, ref);
      if (!repository.commits.has(tip)) return error(404, `No commit found for SHA: ${ref}`);
      const path = request.query.get('path');
      const [template] = documentedExample(matched.operationId) as object[];
      // Newest first: children before their parents. GitHub orders by date within that, and also leaves out
      // a merge whose file matches any one parent's (git's history simplification); this fake compares with
      // the first parent only and orders by the walk. Callers must depend on neither.
      const shas = ancestry(repository, tip)
        .reverse()
        .filter((sha) => path === null || changesFile(repository, sha, path));
      return page(
        repository,
        url,
        shas.map((sha) =>
          over(template, {
            sha,
            url: `https://api.github.com/repos/${owner}/${repo}/commits/${sha}`,
            html_url: `https://github.com/${owner}/${repo}/commit/${sha}`,
            parents: parentsOf(repository, sha),
          }),
        ),
      );
    }
    case 'git/get-tree': {
      const sha = commitOf(repository, params.tree_sha!);
      const commit = repository.commits.get(sha);
      if (!commit) return notFound();
      // GitHub recurses for any value of `recursive`, even `0` or `false`.
      const entries = treeEntries(commit.tree, request.query.has('recursive'));
      const truncated = entries.length > repository.treeEntryLimit;
      const treeSha = sha1(`tree ${sha}`);
      const example = documentedExample(matched.operationId) as { tree: object[] };
      return ok(
        over(example, {
          sha: treeSha,
          url: `https://api.github.com/repos/${owner}/${repo}/git/trees/${treeSha}`,
          tree: entries.slice(0, repository.treeEntryLimit).map((entry) => {
            const entrySha = sha1(entry.type === 'blob' ? entry.content : `tree ${sha}:${entry.path}`);
            return over(example.tree[0]!, {
              path: entry.path,
              mode: entry.type === 'blob' ? '100644' : '040000',
              type: entry.type,
              sha: entrySha,
              // Folders have no size.
              size: entry.type === 'blob' ? Buffer.byteLength(entry.content) : undefined,
              url: `https://api.github.com/repos/${owner}/${repo}/git/${entry.type}s/${entrySha}`,
            });
          }),
          truncated,
        }),
      );
    }
    case 'repos/get-content': {
      const ref = request.query.get('ref') ?? '';
      const content =
        repository.contents.get(`${ref}:${params.path}`) ??
        repository.commits.get(commitOf(repository, ref))?.tree[params.path!];
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

/** The commit a branch name or SHA names (a SHA as it is, known or not). */
function commitOf(repository: FakeRepository, ref: string): string {
  return repository.branches.get(ref) ?? ref;
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * `sha` and every commit it descends from, parents before children (each parent's ancestry in order, first
 * parent first): reversed, a walk from the tip that lists every child before its parents.
 */
function ancestry(repository: FakeRepository, sha: string): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (current: string) => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const parent of repository.commits.get(current)?.parents ?? []) visit(parent);
    order.push(current);
  };
  visit(sha);
  return order;
}

/** Whether the commit changes the file at `path` compared with its first parent (or, with none, adds it). */
function changesFile(repository: FakeRepository, sha: string, path: string): boolean {
  const commit = repository.commits.get(sha)!;
  const parent = commit.parents[0] === undefined ? undefined : repository.commits.get(commit.parents[0]);
  return commit.tree[path] !== parent?.tree[path];
}

type TreeEntry = { path: string; type: 'tree' } | { path: string; type: 'blob'; content: string };

/**
 * A commit's tree as `git/trees` lists it: the top level, or with `recursive` every file and folder, each
 * folder before what it holds, in git's order (a folder sorts as its name followed by `/`).
 */
function treeEntries(files: Record<string, string>, recursive: boolean): TreeEntry[] {
  const entries = new Map<string, TreeEntry>();
  for (const [path, content] of Object.entries(files)) {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      entries.set(`${folder}/`, { path: folder, type: 'tree' });
    }
    entries.set(path, { path, type: 'blob', content });
  }
  return [...entries]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]) => entry)
    .filter((entry) => recursive || !entry.path.includes('/'));
}

/** What `compare/{base}...{head}` says, from the history: undefined when either commit is unknown. */
function compare(repository: FakeRepository, base: string, head: string) {
  const { commits: history } = repository;
  if (!history.has(base) || !history.has(head)) return undefined;
  const ofBase = new Set(ancestry(repository, base));
  const ofHead = ancestry(repository, head);
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

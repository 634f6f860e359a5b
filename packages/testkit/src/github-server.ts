import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOCS, type Fault, GitHubFaults } from './github-faults.js';
import {
  documentedExample,
  hasOperation,
  type MatchedOperation,
  matchOperation,
  RAW_CONTENT_TYPE,
  type RestRequest,
  requestViolations,
  responseViolations,
} from './github-rest.js';

export type { Fault } from './github-faults.js';

/** A pull request as GitHub's REST API returns it (the fields the tests set; the rest is GitHub's example). */
export interface FakePull {
  number: number;
  user: { login: string; type?: string } | null;
  head: { sha: string };
  base: { ref: string };
  merged_at: string | null;
  merge_commit_sha: string | null;
  /** Only on a single pull request (`GET pulls/{n}`), as on GitHub. */
  changed_files?: number;
  /** Open unless merged, when not given. */
  state?: 'open' | 'closed';
}

/** A commit of the fake repository: its parents (first parent first) and every file it holds. */
export interface FakeCommit {
  parents: string[];
  tree: Record<string, string>;
}

/** A commit of a pull request, as `GET pulls/{n}/commits` lists it: GitHub accounts, or null when unlinked. */
export interface FakePullCommit {
  sha: string;
  author: { login: string } | null;
  committer: { login: string } | null;
}

export interface FakeReview {
  /** Null for a review by a deleted account ("ghost"), as GitHub answers. */
  user: { login: string; type?: string } | null;
  state: string;
  /** Null when the reviewed commit no longer exists (force-pushed away). */
  commit_id: string | null;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  /** The author; comments the action creates are `github-actions[bot]`'s. */
  user?: { login: string; type: string } | null;
}

export interface RecordedRequest {
  method: string;
  /** As requested: `/repositories/{id}/…` when the client followed such a `Link`. */
  path: string;
  /** The description's operation, when the request is for one. */
  operationId?: string;
  query: URLSearchParams;
  authorization?: string;
  accept?: string;
  body?: unknown;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string>; raw?: Buffer };

/**
 * A local stand-in for the parts of api.github.com the action calls, on 127.0.0.1 and a free port. It routes
 * by GitHub's own REST description (see `github-rest.ts`), answers with GitHub's documented example objects
 * under the fields the tests set, pages lists with GitHub's `Link` headers (in the `/repositories/{id}/…`
 * form GitHub uses), and checks every request and every response against the description: a departure is
 * recorded in `violations`, which tests assert stays empty (and `stop()` rejects over).
 */
export class FakeGitHubServer {
  readonly pulls = new Map<number, FakePull>();
  readonly files = new Map<number, { filename: string; status: string; previous_filename?: string }[]>();
  /** The repository's history: what compare, commits and (when `contents` has no entry) contents answer from. */
  readonly commits = new Map<string, FakeCommit>();
  /** Branch name → commit, for `compare/main...{sha}`. */
  readonly branches = new Map<string, string>();
  /** When a pull request has none here, its head commit authored and committed by its author. */
  readonly pullCommits = new Map<number, FakePullCommit[]>();
  readonly reviews = new Map<number, FakeReview[]>();
  readonly commitPulls = new Map<string, FakePull[]>();
  /** Repository permission per login; others are not collaborators (404). */
  readonly permissions = new Map<string, string>();
  /** Keyed `${ref}:${path}`; bytes are served as they are (for content that is not UTF-8). */
  readonly contents = new Map<string, string | Uint8Array>();
  readonly comments: FakeComment[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Requests and responses that depart from GitHub's description. */
  readonly violations: string[] = [];
  /** The user `GET /user` answers for; undefined answers 403, as for the workflow's own (installation) token. */
  viewer: string | undefined;
  /** The repository's numeric ID, used in the `/repositories/{id}/…` links GitHub pages with. */
  readonly repositoryId = 1296269;
  private readonly faults = new GitHubFaults();
  private nextCommentId = 1000;
  private readonly server = createServer((request, response) => {
    this.handle(request, response).catch((error: unknown) => {
      this.violations.push(`the fake failed: ${String(error)}`);
      response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ message: String(error), documentation_url: DOCS }));
    });
  });

  constructor(
    readonly owner: string,
    readonly repo: string,
  ) {}

  /**
   * Forgets every pull request, review, file, permission, comment, request, fault and the viewer, between
   * tests. Departures from GitHub's description are kept: `stop()` still reports them.
   */
  reset(): void {
    this.clearFaults();
    for (const map of [
      this.pulls,
      this.files,
      this.reviews,
      this.commitPulls,
      this.permissions,
      this.contents,
      this.commits,
      this.branches,
      this.pullCommits,
    ]) {
      map.clear();
    }
    this.comments.length = 0;
    this.requests.length = 0;
    this.viewer = undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Stops the server; rejects when a request or response departed from GitHub's description meanwhile. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    if (this.violations.length > 0) {
      throw new Error(`Departures from GitHub's REST description:\n${this.violations.join('\n')}`);
    }
  }

  /** Answers the next `times` requests for `operationId` (for example `issues/update-comment`) with `fault`. */
  inject(operationId: string, fault: Fault, times = 1): void {
    if (!hasOperation(operationId)) throw new Error(`${operationId} is not in GitHub's description`);
    this.faults.add(operationId, fault, times);
  }

  /** Drops the faults not yet used and ends every hanging request. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Requests for one operation, by its operationId. */
  requestsFor(operationId: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operationId === operationId);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const text = await readText(request);
    const body = text === '' ? undefined : (JSON.parse(text) as unknown);
    // GitHub serves `/repositories/{id}/…` as an alias of `/repos/{owner}/{repo}/…`.
    const repositoryPrefix = `/repositories/${this.repositoryId}/`;
    const path = url.pathname.startsWith(repositoryPrefix)
      ? `/repos/${this.owner}/${this.repo}/${url.pathname.slice(repositoryPrefix.length)}`
      : url.pathname;
    const method = request.method ?? 'GET';
    const restRequest: RestRequest = {
      method,
      path,
      query: url.searchParams,
      accept: request.headers.accept,
      body,
    };
    const matched = matchOperation(method, path);
    this.requests.push({
      method,
      path: url.pathname,
      operationId: matched?.operationId,
      query: url.searchParams,
      authorization: request.headers.authorization,
      accept: request.headers.accept,
      body,
    });
    this.violations.push(...requestViolations(restRequest));

    const fault = matched && this.faults.take(matched.operationId);
    if (fault) return this.faults.send(response, fault);
    const reply = matched ? this.answer(matched, restRequest, url) : notFound();
    if (matched) {
      this.violations.push(
        ...responseViolations(restRequest, {
          status: reply.status,
          contentType: reply.raw === undefined ? 'application/json; charset=utf-8' : RAW_CONTENT_TYPE,
          body: reply.raw?.toString('utf8') ?? reply.body,
        }),
      );
    }
    if (reply.raw !== undefined) {
      response.writeHead(reply.status, { 'content-type': RAW_CONTENT_TYPE });
      response.end(reply.raw);
      return;
    }
    response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }

  private answer(matched: MatchedOperation, request: RestRequest, url: URL): Reply {
    const { params } = matched;
    const issueNumber = Number(params.issue_number);
    const pullNumber = Number(params.pull_number);
    const body = request.body as { body?: string } | undefined;
    switch (matched.operationId) {
      case 'users/get-authenticated':
        return this.viewer === undefined
          ? error(403, 'Resource not accessible by integration')
          : ok(over(documentedExample('users/get-authenticated'), { login: this.viewer, type: 'User' }));
      case 'pulls/get': {
        const pull = this.pulls.get(pullNumber);
        if (!pull) return notFound();
        const changedFiles = pull.changed_files ?? this.pullFiles(pullNumber).length;
        return ok(pullRequest({ ...pull, changed_files: changedFiles }, documentedExample('pulls/get')));
      }
      case 'pulls/list-files': {
        const [template] = documentedExample('pulls/list-files') as object[];
        const files = this.pullFiles(pullNumber).map((file) => over(template, file));
        return this.page(url, files);
      }
      case 'pulls/list-reviews': {
        const [template] = documentedExample('pulls/list-reviews') as object[];
        const reviews = (this.reviews.get(pullNumber) ?? []).map((review, i) =>
          over(template, { ...review, id: i + 1, user: review.user && over(userOf(template), review.user) }),
        );
        return this.page(url, reviews);
      }
      case 'repos/list-pull-requests-associated-with-commit': {
        const [template] = documentedExample(matched.operationId) as object[];
        const pulls = (this.commitPulls.get(params.commit_sha!) ?? []).map((pull) =>
          // A pull request in a list carries no file count.
          pullRequest({ ...pull, changed_files: undefined }, template),
        );
        return this.page(url, pulls);
      }
      case 'repos/get-collaborator-permission-level': {
        const permission = this.permissions.get(params.username!);
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
        const pull = this.pulls.get(pullNumber);
        const commits = this.pullCommits.get(pullNumber) ?? [
          { sha: pull?.head.sha ?? '', author: pull?.user ?? null, committer: pull?.user ?? null },
        ];
        return this.page(
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
      case 'repos/compare-commits-with-basehead': {
        const [base = '', head = ''] = params.basehead!.split('...');
        const comparison = this.compare(this.branches.get(base) ?? base, this.branches.get(head) ?? head);
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
              .map((sha) => over(example.commits[0]!, { sha, parents: this.parentsOf(sha) })),
            files: [],
          }),
        );
      }
      case 'repos/get-commit': {
        const commit = this.commits.get(params.ref!);
        if (!commit) return error(422, `No commit found for SHA: ${params.ref}`);
        const example = documentedExample(matched.operationId) as { files: object[] };
        const perPage = Number(url.searchParams.get('per_page') ?? 300);
        const page = Number(url.searchParams.get('page') ?? 1);
        const parent =
          commit.parents[0] === undefined ? {} : (this.commits.get(commit.parents[0])?.tree ?? {});
        return ok(
          over(example, {
            sha: params.ref,
            parents: this.parentsOf(params.ref!),
            files: changedFiles(parent, commit.tree)
              .slice((page - 1) * perPage, page * perPage)
              .map((file) =>
                over(example.files[0]!, {
                  sha: createHash('sha1')
                    .update(commit.tree[file.filename] ?? '')
                    .digest('hex'),
                  contents_url: `https://api.github.com/repos/${this.owner}/${this.repo}/contents/${file.filename}`,
                  ...file,
                }),
              ),
          }),
        );
      }
      case 'repos/get-content': {
        const ref = request.query.get('ref') ?? '';
        const content =
          this.contents.get(`${ref}:${params.path}`) ??
          this.commits.get(this.branches.get(ref) ?? ref)?.tree[params.path!];
        if (content === undefined) return notFound();
        // GitHub serves raw bytes for `application/vnd.github.raw` (and the older `vnd.github.v3.raw`).
        if (!/application\/vnd\.github(\.v3)?\.raw/.test(request.accept ?? '')) {
          return error(415, 'this fake serves raw content only');
        }
        return { status: 200, raw: Buffer.from(content) };
      }
      case 'issues/list-comments': {
        const template = (documentedExample('issues/list-comments') as object[])[0]!;
        const comments = this.comments
          .filter((comment) => comment.issueNumber === issueNumber)
          .map((comment) => this.issueComment(template, comment));
        return this.page(url, comments);
      }
      case 'issues/create-comment': {
        const comment: FakeComment = {
          id: this.nextCommentId++,
          issueNumber,
          body: body!.body!,
          user:
            this.viewer === undefined
              ? { login: 'github-actions[bot]', type: 'Bot' }
              : { login: this.viewer, type: 'User' },
        };
        this.comments.push(comment);
        return {
          status: 201,
          body: this.issueComment(documentedExample(matched.operationId, '201'), comment),
        };
      }
      case 'issues/update-comment': {
        const comment = this.comments.find((candidate) => candidate.id === Number(params.comment_id));
        if (!comment) return notFound();
        comment.body = body!.body!;
        return ok(this.issueComment(documentedExample(matched.operationId), comment));
      }
      default:
        return error(404, `this fake does not serve ${matched.operationId}`);
    }
  }

  /** The files of a pull request: as set, or its head compared with its merge base in the history. */
  private pullFiles(pullNumber: number) {
    const listed = this.files.get(pullNumber);
    if (listed) return listed;
    const pull = this.pulls.get(pullNumber);
    // A merged pull request keeps the files it had when merged: compared with its merge commit's first parent.
    const mergedInto = pull?.merge_commit_sha
      ? this.commits.get(pull.merge_commit_sha)?.parents[0]
      : undefined;
    const base = pull && (mergedInto ?? this.branches.get(pull.base.ref));
    const comparison = pull && base ? this.compare(base, pull.head.sha) : undefined;
    if (!pull || !comparison) return [];
    return changedFiles(this.commits.get(comparison.mergeBase)!.tree, this.commits.get(pull.head.sha)!.tree);
  }

  private parentsOf(sha: string) {
    const base = `https://api.github.com/repos/${this.owner}/${this.repo}/commits`;
    return (this.commits.get(sha)?.parents ?? []).map((parent) => ({
      sha: parent,
      url: `${base}/${parent}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/commit/${parent}`,
    }));
  }

  /** What `compare/{base}...{head}` says, from the history: undefined when either commit is unknown. */
  private compare(base: string, head: string) {
    if (!this.commits.has(base) || !this.commits.has(head)) return undefined;
    const ancestors = (sha: string): string[] => {
      const order: string[] = [];
      const seen = new Set<string>();
      const visit = (current: string) => {
        if (seen.has(current)) return;
        seen.add(current);
        for (const parent of this.commits.get(current)?.parents ?? []) visit(parent);
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

  private issueComment(template: unknown, comment: FakeComment): unknown {
    const example = template as { user: object };
    return over(example, {
      id: comment.id,
      body: comment.body,
      user: comment.user === undefined || comment.user === null ? null : over(example.user, comment.user),
    });
  }

  /** One page of `items` with GitHub's `Link` header, in its `/repositories/{id}/…` form. */
  private page(url: URL, items: readonly unknown[]): Reply {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const prefix = `/repos/${this.owner}/${this.repo}/`;
    const linkPath = url.pathname.startsWith(prefix)
      ? `/repositories/${this.repositoryId}/${url.pathname.slice(prefix.length)}`
      : url.pathname;
    const link = (n: number, rel: string) => {
      const target = new URL(linkPath, url.origin);
      for (const [name, value] of url.searchParams) target.searchParams.set(name, value);
      target.searchParams.set('page', String(n));
      return `<${target.href}>; rel="${rel}"`;
    };
    const links = [];
    if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  }
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const error = (status: number, message: string): Reply => ({
  status,
  body: { message, documentation_url: DOCS },
});
const notFound = () => error(404, 'Not Found');

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `template` with `fields` laid over it, objects merged field by field; `undefined` fields are left out. */
function over<T>(template: T, fields: object): T {
  const merged: Record<string, unknown> = { ...(template as Record<string, unknown>) };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete merged[key];
    else merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? over(merged[key], value) : value;
  }
  return merged as T;
}

function userOf(template: unknown): object {
  return (template as { user: object }).user;
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

/** The files `after` changes compared with `before`, as GitHub lists them (a moved file is `renamed`). */
function changedFiles(before: Record<string, string>, after: Record<string, string>) {
  const files: { filename: string; status: string; previous_filename?: string }[] = [];
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

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

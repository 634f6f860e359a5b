import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerComments } from './github-comments.js';
import { DOCS, type Fault, GitHubFaults } from './github-faults.js';
import { answerHistory } from './github-history.js';
import { answerIssues } from './github-issues.js';
import { answerPulls } from './github-pulls.js';
import { error, notFound, type Reply } from './github-replies.js';
import type {
  FakeComment,
  FakeCommit,
  FakeFile,
  FakeIssue,
  FakePull,
  FakePullCommit,
  FakeRepository,
  FakeReview,
} from './github-repository.js';
import {
  hasOperation,
  type MatchedOperation,
  matchOperation,
  RAW_CONTENT_TYPE,
  type RestRequest,
  requestViolations,
  responseViolations,
} from './github-rest.js';

export type { Fault } from './github-faults.js';
export type {
  FakeComment,
  FakeCommit,
  FakeIssue,
  FakePull,
  FakePullCommit,
  FakeReview,
} from './github-repository.js';

/** GitHub's limit on the entries of one `git/trees` listing (its 7 MB limit is not modelled). */
const TREE_ENTRY_LIMIT = 100_000;

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

/**
 * A local stand-in for the parts of api.github.com the action calls, on 127.0.0.1 and a free port. It routes
 * by GitHub's own REST description (see `github-rest.ts`), answers with GitHub's documented example objects
 * under the fields the tests set, pages lists with GitHub's `Link` headers (in the `/repositories/{id}/…`
 * form GitHub uses), and checks every request and every response against the description: a departure is
 * recorded in `violations`, which tests assert stays empty (and `stop()` rejects over). The answers, by
 * resource, are in `github-pulls.ts`, `github-history.ts`, `github-comments.ts` and `github-issues.ts`.
 */
export class FakeGitHubServer implements FakeRepository {
  readonly pulls = new Map<number, FakePull>();
  readonly files = new Map<number, FakeFile[]>();
  /** The repository's history: what compare, commits and (when `contents` has no entry) contents answer from. */
  readonly commits = new Map<string, FakeCommit>();
  /** Branch name → commit, wherever GitHub takes a branch for a commit (`compare/main...{sha}`, `commits/main`). */
  readonly branches = new Map<string, string>();
  /** What `GET /repos/{owner}/{repo}` says, and where `GET commits` starts without `sha`. */
  defaultBranch = 'main';
  /** How many entries `git/trees` lists before it answers `truncated`: lower it to see a truncated tree. */
  treeEntryLimit = TREE_ENTRY_LIMIT;
  /** When a pull request has none here, its head commit authored and committed by its author. */
  readonly pullCommits = new Map<number, FakePullCommit[]>();
  readonly reviews = new Map<number, FakeReview[]>();
  readonly commitPulls = new Map<string, FakePull[]>();
  /** Repository permission per login; others are not collaborators (404). */
  readonly permissions = new Map<string, string>();
  /** Keyed `${ref}:${path}`; bytes are served as they are (for content that is not UTF-8). */
  readonly contents = new Map<string, string | Uint8Array>();
  readonly comments: FakeComment[] = [];
  /** Issues, and pull requests as the issues API lists them (`pull_request: true`); created ones are added. */
  readonly issues: FakeIssue[] = [];
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
   * Forgets every pull request, review, file, commit, branch, permission, comment, issue, request, fault and
   * the viewer, and restores the default branch and the tree limit, between tests. Departures from GitHub's description are kept: `stop()` still reports them.
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
    this.issues.length = 0;
    this.requests.length = 0;
    this.viewer = undefined;
    this.defaultBranch = 'main';
    this.treeEntryLimit = TREE_ENTRY_LIMIT;
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
    return (
      answerPulls(this, matched, url) ??
      answerHistory(this, matched, request, url) ??
      answerComments(this, matched, request, url, () => this.nextCommentId++) ??
      answerIssues(this, matched, request, url) ??
      error(404, `this fake does not serve ${matched.operationId}`)
    );
  }
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A pull request as GitHub's REST API returns it (the fields the action reads). */
export interface FakePull {
  number: number;
  user: { login: string };
  head: { sha: string };
  base: { ref: string };
  merged_at: string | null;
  merge_commit_sha: string | null;
  /** Only on a single pull request (`GET pulls/{n}`), as on GitHub. */
  changed_files?: number;
}

export interface FakeReview {
  user: { login: string; type?: string };
  state: string;
  commit_id: string;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  /** The author; comments the action creates are `github-actions[bot]`'s. */
  user?: { login: string; type: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
}

/**
 * A local stand-in for the parts of api.github.com the action calls, on 127.0.0.1 and a free port.
 * Lists are paginated with `Link` headers like GitHub's, so the client's pagination is exercised.
 */
export class FakeGitHubServer {
  readonly pulls = new Map<number, FakePull>();
  readonly files = new Map<number, { filename: string; status: string }[]>();
  readonly reviews = new Map<number, FakeReview[]>();
  readonly commitPulls = new Map<string, FakePull[]>();
  /** Repository permission per login; others are not collaborators (404). */
  readonly permissions = new Map<string, string>();
  /** Keyed `${ref}:${path}`. */
  readonly contents = new Map<string, string>();
  readonly comments: FakeComment[] = [];
  readonly requests: RecordedRequest[] = [];
  /** The user `GET /user` answers for; undefined answers 403, as for the workflow's own token. */
  viewer: string | undefined;
  private nextCommentId = 1000;
  private readonly server = createServer((request, response) => {
    this.handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: String(error) }));
    });
  });

  constructor(
    readonly owner: string,
    readonly repo: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    this.requests.push({
      method: request.method ?? '',
      path: url.pathname,
      authorization: request.headers.authorization,
    });
    if (request.method === 'GET' && url.pathname === '/user') {
      return this.viewer === undefined
        ? this.send(response, 403, { message: 'Resource not accessible by integration' })
        : this.send(response, 200, { login: this.viewer, type: 'User' });
    }
    const prefix = `/repos/${this.owner}/${this.repo}/`;
    if (!url.pathname.startsWith(prefix)) return this.send(response, 404, { message: 'Not Found' });
    const route = decodeURIComponent(url.pathname.slice(prefix.length));
    const body =
      request.method === 'GET' ? undefined : (JSON.parse(await readText(request)) as { body: string });
    const at = (method: string, pattern: RegExp) => (request.method === method ? pattern.exec(route) : null);

    const pullRoute = at('GET', /^pulls\/(\d+)$/);
    if (pullRoute) {
      const pull = this.pulls.get(Number(pullRoute[1]));
      return pull ? this.send(response, 200, pull) : this.send(response, 404, { message: 'Not Found' });
    }
    const filesRoute = at('GET', /^pulls\/(\d+)\/files$/);
    if (filesRoute) return this.sendPage(response, url, this.files.get(Number(filesRoute[1])) ?? []);
    const reviewsRoute = at('GET', /^pulls\/(\d+)\/reviews$/);
    if (reviewsRoute) return this.sendPage(response, url, this.reviews.get(Number(reviewsRoute[1])) ?? []);
    const commitRoute = at('GET', /^commits\/([0-9a-f]+)\/pulls$/);
    if (commitRoute) return this.sendPage(response, url, this.commitPulls.get(commitRoute[1]!) ?? []);
    const permissionRoute = at('GET', /^collaborators\/([^/]+)\/permission$/);
    if (permissionRoute) {
      const permission = this.permissions.get(permissionRoute[1]!);
      if (permission === undefined) return this.send(response, 404, { message: 'Not Found' });
      return this.send(response, 200, {
        permission,
        role_name: permission,
        user: { login: permissionRoute[1] },
      });
    }
    const contentRoute = at('GET', /^contents\/(.+)$/);
    if (contentRoute) {
      const content = this.contents.get(`${url.searchParams.get('ref')}:${contentRoute[1]}`);
      if (content === undefined) return this.send(response, 404, { message: 'Not Found' });
      // GitHub serves raw bytes for `application/vnd.github.raw` (and the older `vnd.github.v3.raw`).
      if (!/application\/vnd\.github(\.v3)?\.raw/.test(String(request.headers.accept))) {
        return this.send(response, 415, { message: 'this fake serves raw content only' });
      }
      response.writeHead(200, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
      response.end(content);
      return;
    }
    const listCommentsRoute = at('GET', /^issues\/(\d+)\/comments$/);
    if (listCommentsRoute) {
      const issueNumber = Number(listCommentsRoute[1]);
      const comments = this.comments.filter((c) => c.issueNumber === issueNumber);
      return this.sendPage(
        response,
        url,
        comments.map(({ id, body, user }) => ({ id, body, user: user ?? null })),
      );
    }
    const createCommentRoute = at('POST', /^issues\/(\d+)\/comments$/);
    if (createCommentRoute) {
      const comment = {
        id: this.nextCommentId++,
        issueNumber: Number(createCommentRoute[1]),
        body: body!.body,
        user:
          this.viewer === undefined
            ? { login: 'github-actions[bot]', type: 'Bot' }
            : { login: this.viewer, type: 'User' },
      };
      this.comments.push(comment);
      return this.send(response, 201, { id: comment.id, body: comment.body });
    }
    const updateCommentRoute = at('PATCH', /^issues\/comments\/(\d+)$/);
    if (updateCommentRoute) {
      const comment = this.comments.find((c) => c.id === Number(updateCommentRoute[1]));
      if (!comment) return this.send(response, 404, { message: 'Not Found' });
      comment.body = body!.body;
      return this.send(response, 200, { id: comment.id, body: comment.body });
    }
    return this.send(response, 404, { message: `Not Found: ${request.method} ${route}` });
  }

  private sendPage(response: ServerResponse, url: URL, items: readonly unknown[]): void {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.href}>; rel="next", <${url.origin}${url.pathname}?per_page=${perPage}&page=${last}>; rel="last"`;
    }
    this.send(response, 200, items.slice((page - 1) * perPage, page * perPage), headers);
  }

  private send(
    response: ServerResponse,
    status: number,
    data: unknown,
    headers: Record<string, string> = {},
  ) {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(data));
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

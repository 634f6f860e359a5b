// The checks the fake GitHub API runs on every request and response: GitHub's own REST description, cut
// from `@octokit/openapi`, and able to catch what a fake or a client gets wrong.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  DESCRIPTION_SOURCE,
  documentedExample,
  RAW_CONTENT_TYPE,
  type RestRequest,
  requestViolations,
  responseViolations,
} from '../src/github-rest.js';

const FIXTURE = new URL('../src/github-rest.generated.json', import.meta.url);
const get = (path: string, query = ''): RestRequest => ({
  method: 'GET',
  path,
  query: new URLSearchParams(query),
});
const json = (status: number, body: unknown) => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body,
});

describe("GitHub's REST description, cut from @octokit/openapi", () => {
  it('names its source and the version installed, and is what the cut script makes of it', async () => {
    const { version } = createRequire(import.meta.url)('@octokit/openapi/package.json') as {
      version: string;
    };
    expect(DESCRIPTION_SOURCE).toContain(`@octokit/openapi ${version}`);
    const output = join(await mkdtemp(join(tmpdir(), 'github-rest-')), 'cut.json');
    await promisify(execFile)(process.execPath, [
      new URL('../scripts/cut-github-openapi.mjs', import.meta.url).pathname,
      output,
    ]);
    expect(await readFile(output, 'utf8')).toBe(await readFile(FIXTURE, 'utf8'));
  });

  it('accepts what GitHub documents', () => {
    expect(requestViolations(get('/repos/acme/people/pulls/3/files', 'per_page=100&page=2'))).toEqual([]);
    expect(
      responseViolations(
        get('/repos/acme/people/pulls/3/reviews'),
        json(200, documentedExample('pulls/list-reviews')),
      ),
    ).toEqual([]);
    const review = (documentedExample('pulls/list-reviews') as object[])[0];
    // A deleted reviewer and a force-pushed-away commit: both nullable in GitHub's schema.
    expect(
      responseViolations(
        get('/repos/acme/people/pulls/3/reviews'),
        json(200, [{ ...review, user: null, commit_id: null }]),
      ),
    ).toEqual([]);
  });

  it('catches requests GitHub would not understand', () => {
    expect(requestViolations(get('/repos/acme/people/pulls/3/files', 'perpage=100'))).toEqual([
      'pulls/list-files (GET /repos/acme/people/pulls/3/files): unknown query parameter perpage',
    ]);
    expect(requestViolations(get('/repos/acme/people/pulls/3/files', 'per_page=all'))).toEqual([
      'pulls/list-files (GET /repos/acme/people/pulls/3/files): query parameter per_page=all: (root) must be integer',
    ]);
    expect(requestViolations(get('/repos/acme/people/pulls/three'))).toEqual([
      'pulls/get (GET /repos/acme/people/pulls/three): path parameter pull_number=three: (root) must be integer',
    ]);
    expect(requestViolations(get('/repos/acme/people/pull/3'))).toEqual([
      'GET /repos/acme/people/pull/3: no operation of the description',
    ]);
    expect(
      requestViolations({
        method: 'POST',
        path: '/repos/acme/people/issues/3/comments',
        query: new URLSearchParams(),
        body: { text: 'hello' },
      }),
    ).toEqual([
      "issues/create-comment (POST /repos/acme/people/issues/3/comments): request body: (root) must have required property 'body'",
    ]);
  });

  it('catches responses GitHub would not give', () => {
    const request = get('/repos/acme/people/pulls/3');
    // GitHub's own example lacks a team's `type`, which its schema requires: the fake has no teams.
    const pull: Record<string, unknown> = {
      ...(documentedExample('pulls/get') as object),
      requested_teams: [],
    };
    const { head: _head, ...headless } = pull;
    expect(responseViolations(request, json(200, headless))).toEqual([
      "pulls/get 200 (GET /repos/acme/people/pulls/3): (root) must have required property 'head'",
    ]);
    expect(responseViolations(request, json(200, { ...pull, user: { login: 'alice' } }))[0]).toContain(
      "/user must have required property 'id'",
    );
    // An error without GitHub's `documentation_url`, and a success the operation does not document.
    expect(responseViolations(request, json(418, { message: 'teapot' }))).toEqual([
      "pulls/get 418 (GET /repos/acme/people/pulls/3): (root) must have required property 'documentation_url'",
    ]);
    expect(responseViolations(request, json(202, pull))).toEqual([
      'pulls/get 202 (GET /repos/acme/people/pulls/3): a status the operation does not document',
    ]);
    const raw = {
      ...get('/repos/acme/people/contents/a.yaml', 'ref=main'),
      accept: 'application/vnd.github.raw',
    };
    expect(responseViolations(raw, { status: 200, contentType: RAW_CONTENT_TYPE, body: 'x' })).toEqual([]);
    expect(
      responseViolations(raw, { status: 200, contentType: 'application/vnd.github.raw', body: 'x' }),
    ).toEqual([
      'repos/get-content 200 (GET /repos/acme/people/contents/a.yaml): raw content served as application/vnd.github.raw, GitHub serves application/vnd.github.raw; charset=utf-8',
    ]);
  });
});

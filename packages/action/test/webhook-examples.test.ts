// GitHub's own example payloads (`@octokit/webhooks-examples`) as the runner hands them to the action: in
// the file GITHUB_EVENT_PATH names, read by readEnvironment and decided by triggerFor.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ActionEnvironment, readEnvironment, triggerFor, UnsupportedEventError } from '../src/event.js';
import { run } from '../src/run.js';
import { FakeGitHub } from './fake-github.js';
import { testInputs } from './support/fixtures.js';

interface WebhookExamples {
  name: string;
  examples: Record<string, unknown>[];
}
const require = createRequire(import.meta.url);
const catalogue = require('@octokit/webhooks-examples') as WebhookExamples[];
const { version } = require('@octokit/webhooks-examples/package.json') as { version: string };

/** Every official example of `event`, whose `action` is `action` when given. */
function examples(event: string, action?: string): Record<string, unknown>[] {
  const found = (catalogue.find((entry) => entry.name === event)?.examples ?? []).filter(
    (example) => action === undefined || example.action === action,
  );
  if (found.length === 0)
    throw new Error(`@octokit/webhooks-examples ${version} has no ${event} ${action ?? ''}`);
  return found;
}

/** The environment the runner gives the action for `payload`, through the event file, as in a real run. */
async function environmentFor(eventName: string, payload: object): Promise<ActionEnvironment> {
  const directory = await mkdtemp(join(tmpdir(), 'offboard-webhook-'));
  const eventPath = join(directory, 'event.json');
  await writeFile(eventPath, JSON.stringify(payload));
  return readEnvironment({
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    RUNNER_TEMP: directory,
  });
}

const pullNumber = (payload: Record<string, unknown>) => (payload.pull_request as { number: number }).number;

describe(`GitHub's example webhook payloads (@octokit/webhooks-examples ${version})`, () => {
  for (const action of ['opened', 'synchronize', 'reopened', 'closed']) {
    it(`pull_request ${action}: plans the pull request`, async () => {
      for (const payload of examples('pull_request', action)) {
        expect(triggerFor(await environmentFor('pull_request', payload), 'auto')).toMatchObject({
          event: 'pull_request',
          mode: 'plan',
          pullNumber: pullNumber(payload),
        });
      }
    });
  }

  it('pull_request_target (the pull_request payload, run from the base branch): plans the pull request', async () => {
    // GitHub sends pull_request_target the pull_request payload; the examples keep it under pull_request.
    for (const payload of examples('pull_request', 'opened')) {
      expect(triggerFor(await environmentFor('pull_request_target', payload), 'auto')).toMatchObject({
        event: 'pull_request_target',
        mode: 'plan',
        pullNumber: pullNumber(payload),
      });
    }
  });

  it('push: applies the pushed range, with the default branch the payload names', async () => {
    for (const payload of examples('push')) {
      const environment = await environmentFor('push', payload);
      expect(triggerFor(environment, 'auto')).toMatchObject({
        event: 'push',
        mode: 'apply',
        before: payload.before,
        sha: payload.after,
        ref: payload.ref,
        defaultBranch: (payload.repository as { default_branch: string }).default_branch,
      });
    }
  });

  it('pull_request_review submitted, dismissed: applies only on an approval', async () => {
    const submitted = examples('pull_request_review', 'submitted');
    for (const payload of submitted) {
      // The examples' reviews are comments: not an approval.
      expect(triggerFor(await environmentFor('pull_request_review', payload), 'auto')).toMatchObject({
        event: 'pull_request_review',
        mode: 'apply',
        pullNumber: pullNumber(payload),
        approval: false,
      });
    }
    for (const payload of examples('pull_request_review', 'dismissed')) {
      expect(triggerFor(await environmentFor('pull_request_review', payload), 'auto')).toMatchObject({
        approval: false,
      });
    }
    // No example is an approval, or an edit: the same payload with GitHub's approved state and edited action.
    const review = submitted[0]!.review as Record<string, unknown>;
    const approved = { ...submitted[0]!, review: { ...review, state: 'approved' } };
    expect(triggerFor(await environmentFor('pull_request_review', approved), 'auto')).toMatchObject({
      approval: true,
    });
    const edited = { ...approved, action: 'edited', changes: { body: { from: 'LGTM' } } };
    expect(triggerFor(await environmentFor('pull_request_review', edited), 'auto')).toMatchObject({
      approval: true,
    });
  });

  it('workflow_dispatch: applies (its inputs are the action inputs, not read from the payload)', async () => {
    for (const payload of examples('workflow_dispatch')) {
      expect(triggerFor(await environmentFor('workflow_dispatch', payload), 'auto')).toEqual({
        event: 'workflow_dispatch',
        mode: 'apply',
      });
    }
  });

  it('merge_group and issue_comment: refused', async () => {
    const refused: [string, object][] = [
      ...examples('merge_group').map((payload) => ['merge_group', payload] as [string, object]),
      ...examples('issue_comment').map((payload) => ['issue_comment', payload] as [string, object]),
    ];
    for (const [eventName, payload] of refused) {
      const environment = await environmentFor(eventName, payload);
      expect(() => triggerFor(environment, 'auto'), eventName).toThrow(UnsupportedEventError);
      expect(() => triggerFor(environment, 'auto'), eventName).toThrow(
        `smartsheet-offboard does not handle the '${eventName}' event`,
      );
    }
  });
});

describe('the run on those payloads: what it decides before asking Smartsheet anything', () => {
  /** The run's failure and notices, on `payload`, with a Smartsheet that must not be called. */
  async function decide(
    eventName: string,
    payload: object,
    prepare: (github: FakeGitHub) => void = () => {},
  ) {
    const notices: string[] = [];
    const ignore = () => {};
    // Nothing listens at this address: a request to Smartsheet would fail the test's expectations.
    const inputs = testInputs('http://127.0.0.1:9', {
      smartsheetToken: 'not-used-token',
      requestsPerMinute: 300,
    });
    const github = new FakeGitHub();
    prepare(github);
    const result = await run(inputs, {
      environment: await environmentFor(eventName, payload),
      github,
      reporter: {
        info: ignore,
        notice: (message) => notices.push(message),
        warning: ignore,
        error: ignore,
        setOutput: ignore,
        writeSummary: async () => {},
      },
    });
    return { failure: result.failure, notices, calls: github.calls };
  }

  it('push: a tag is not the default branch, and a push that creates the branch has nothing to compare', async () => {
    for (const payload of examples('push')) {
      const { failure, calls } = await decide('push', payload);
      const ref = payload.ref as string;
      expect(calls).toEqual([]);
      expect(failure).toBe(
        ref.startsWith('refs/tags/')
          ? `Apply on push runs only for the default branch master; this push is to ${ref}. Nothing was changed.`
          : 'The push creates master: there is no earlier commit to tell what it adds. Nothing was changed.',
      );
    }
  });

  it('schedule (no webhook: the payload GitHub Actions documents) reconciles the default branch, read at its commit', async () => {
    const head = 'c'.repeat(40);
    const { failure, calls } = await decide('schedule', { schedule: '0 6 * * 1' }, (github) => {
      github.branches.set('main', head);
      github.commits.set(head, { sha: head, parents: [], files: [] });
      github.tree.set(head, ['README.md', 'docs/offboarding.yaml']);
    });
    // No offboarding file: nothing to ask Smartsheet, and nobody drifted (no issue to keep).
    expect(calls).toEqual([
      'defaultBranch',
      'getCommit main',
      `listTree ${head}`,
      'tokenLogin',
      'listOpenIssues smartsheet-offboard-drift',
    ]);
    expect(failure).toBeUndefined();
  });

  it('pull_request_review: a comment or a dismissal applies nothing', async () => {
    for (const payload of [
      ...examples('pull_request_review', 'submitted'),
      ...examples('pull_request_review', 'dismissed'),
    ]) {
      const { failure, notices, calls } = await decide('pull_request_review', payload);
      expect(failure).toBeUndefined();
      expect(calls).toEqual([]);
      expect(notices).toEqual(['The review is not an approval: nothing to apply.']);
    }
  });
});

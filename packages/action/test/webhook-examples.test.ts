// GitHub's own example payloads (`@octokit/webhooks-examples`) as the runner hands them to the action: in
// the file GITHUB_EVENT_PATH names, read by readEnvironment and decided by triggerFor.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ActionEnvironment, readEnvironment, triggerFor, UnsupportedEventError } from '../src/event.js';

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

  it('schedule (no webhook: the payload GitHub Actions documents), merge_group and issue_comment: refused', async () => {
    const refused: [string, object][] = [
      ['schedule', { schedule: '0 6 * * 1' }],
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

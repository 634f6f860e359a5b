import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnvironment, triggerFor, UnsupportedEventError } from '../src/event.js';
import { testEnvironment } from './support/fixtures.js';

const HEAD = 'a'.repeat(40);

describe('readEnvironment', () => {
  it('reads the runner variables and the event payload', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'offboard-env-'));
    const eventPath = join(dir, 'event.json');
    await writeFile(eventPath, JSON.stringify({ pull_request: { number: 3 } }));
    const env = await readEnvironment({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'acme/people',
      GITHUB_RUN_ID: '99',
      GITHUB_WORKSPACE: dir,
      RUNNER_TEMP: dir,
    });
    expect(env).toMatchObject({
      eventName: 'pull_request',
      payload: { pull_request: { number: 3 } },
      repository: { owner: 'acme', repo: 'people' },
      runId: '99',
      runAttempt: '1',
      serverUrl: 'https://github.com',
      workspace: dir,
      runnerTemp: dir,
    });
  });
});

describe('triggerFor', () => {
  it('plans on pull_request_target and pull_request and applies on the other events in auto mode', () => {
    for (const event of ['pull_request_target', 'pull_request'] as const) {
      expect(
        triggerFor(
          testEnvironment(event, { pull_request: { number: 7 }, repository: { default_branch: 'main' } }),
          'auto',
        ),
      ).toEqual({ event, mode: 'plan', pullNumber: 7, defaultBranch: 'main' });
    }
    const before = 'f'.repeat(40);
    expect(
      triggerFor(
        testEnvironment('push', {
          ref: 'refs/heads/main',
          before,
          after: HEAD,
          repository: { default_branch: 'main' },
        }),
        'auto',
      ),
    ).toEqual({
      event: 'push',
      mode: 'apply',
      before,
      sha: HEAD,
      ref: 'refs/heads/main',
      defaultBranch: 'main',
    });
    expect(
      triggerFor(
        testEnvironment('pull_request_review', {
          pull_request: { number: 7 },
          review: { state: 'approved' },
        }),
        'auto',
      ),
    ).toEqual({
      event: 'pull_request_review',
      mode: 'apply',
      pullNumber: 7,
      approval: true,
      defaultBranch: undefined,
    });
    expect(triggerFor(testEnvironment('workflow_dispatch', {}), 'auto')).toEqual({
      event: 'workflow_dispatch',
      mode: 'apply',
    });
  });

  it('lets the mode input override auto', () => {
    expect(triggerFor(testEnvironment('workflow_dispatch', {}), 'plan').mode).toBe('plan');
    expect(triggerFor(testEnvironment('pull_request', { pull_request: { number: 1 } }), 'apply').mode).toBe(
      'apply',
    );
  });

  it('marks a review that is not an approval', () => {
    const trigger = triggerFor(
      testEnvironment('pull_request_review', { pull_request: { number: 7 }, review: { state: 'commented' } }),
      'auto',
    );
    expect(trigger).toMatchObject({ approval: false });
  });

  it('names the supported events when the event is not one of them', () => {
    const run = () => triggerFor(testEnvironment('issue_comment', {}), 'auto');
    expect(run).toThrow(UnsupportedEventError);
    expect(run).toThrow(
      "does not handle the 'issue_comment' event; run it on pull_request_target, pull_request, push, pull_request_review, workflow_dispatch, or schedule (to reconcile)",
    );
  });

  it('refuses payloads without the fields it needs', () => {
    expect(() => triggerFor(testEnvironment('pull_request', {}), 'auto')).toThrow('has no pull request');
    expect(() => triggerFor(testEnvironment('push', { ref: 'refs/heads/main' }), 'auto')).toThrow(
      '"before", "after"',
    );
  });
});

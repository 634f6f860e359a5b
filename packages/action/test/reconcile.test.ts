// What a reconcile run refuses before it asks Smartsheet anything, in process with the in-memory GitHub and
// a Smartsheet address nothing listens at: any request to it would fail the run differently.
import { describe, expect, it } from 'vitest';
import type { ActionInputs } from '../src/inputs.js';
import { run } from '../src/run.js';
import { FakeGitHub } from './fake-github.js';
import { testEnvironment, testInputs } from './support/fixtures.js';
import { RecordingReporter } from './support/reporter.js';

const HEAD = 'c'.repeat(40);

async function reconcile(
  eventName: string,
  overrides: Partial<ActionInputs>,
  prepare = (_: FakeGitHub) => {},
) {
  const github = new FakeGitHub();
  github.branches.set('main', HEAD);
  github.commits.set(HEAD, { sha: HEAD, parents: [], files: [] });
  prepare(github);
  const reporter = new RecordingReporter();
  const result = await run(testInputs('http://127.0.0.1:9', { mode: 'reconcile', ...overrides }), {
    environment: testEnvironment(eventName, {}),
    github,
    reporter,
  });
  return { ...result, github, reporter };
}

describe('mode reconcile refuses before any change', () => {
  it('on an event other than schedule or workflow_dispatch', async () => {
    const { failure, github } = await reconcile('push', {});
    expect(failure).toBe(
      'mode reconcile runs on schedule or workflow_dispatch (this run is on push). Nothing was changed.',
    );
    expect(github.calls).toEqual([]);
  });

  it('with user-ids or emails: it applies only entries reviewers approved', async () => {
    const { failure, github, reporter } = await reconcile('workflow_dispatch', {
      emails: ['jane.doe@example.com'],
    });
    expect(failure).toMatch(/^Input 'emails' is not read by mode reconcile/);
    expect(github.calls).toEqual([]);
    expect(reporter.summary).toContain('**Refused:**');
  });

  it('without a Smartsheet token or a GitHub token', async () => {
    expect((await reconcile('schedule', { smartsheetToken: undefined })).failure).toBe(
      "Input 'smartsheet-token' is empty: a Smartsheet token is needed to reconcile. Nothing was changed.",
    );
    const result = await run(testInputs('http://127.0.0.1:9', { mode: 'reconcile' }), {
      environment: testEnvironment('schedule', {}),
      reporter: new RecordingReporter(),
    });
    expect(result.failure).toMatch(/^Input 'github-token' is empty: mode reconcile reads the default branch/);
  });

  it('when the default branch cannot be listed whole', async () => {
    const { failure, github } = await reconcile('schedule', {}, (fake) => fake.truncatedTrees.add(HEAD));
    expect(failure).toBe(
      `The run stopped before any change: GitHub lists the tree of commit ${HEAD} only in part (truncated: over 100,000 entries or 7 MB), so not every offboarding file can be found there.`,
    );
    expect(github.calls).toEqual(['defaultBranch', 'getCommit main', `listTree ${HEAD}`]);
  });
});

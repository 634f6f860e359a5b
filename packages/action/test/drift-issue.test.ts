import { describe, expect, it } from 'vitest';
import { DRIFT_MARKER, keepDriftIssue } from '../src/drift-issue.js';
import { FakeGitHub } from './fake-github.js';

const LABEL = 'smartsheet-offboard-drift';
const context = {
  links: { serverUrl: 'https://github.com', owner: 'acme', repo: 'people', sha: 'c'.repeat(40) },
  runUrl: 'https://github.com/acme/people/actions/runs/9',
  branch: 'main',
};
const SAM = {
  id: '2000000000000002',
  email: 'sam.lee@example.com',
  given: 'sam.lee@example.com',
  source: { file: 'offboarding/a.yaml', line: 2 },
  note: { ticket: 'HR-1', reason: 'Left @acme/admins' },
};

describe('keepDriftIssue', () => {
  it('creates one issue, updates it while drift lasts, and closes it when none is left', async () => {
    const github = new FakeGitHub();
    expect(await keepDriftIssue(github, LABEL, [SAM], context)).toEqual({ change: 'created', issue: 1 });
    expect(github.issues[0]).toMatchObject({
      labels: [LABEL],
      state: 'open',
      title: 'Smartsheet offboarding drift: 1 user is active again',
    });
    const body = github.issues[0]!.body;
    expect(body.startsWith(DRIFT_MARKER)).toBe(true);
    expect(body).toContain(
      '| sam.lee@example.com | 2000000000000002 | [offboarding/a.yaml:2](https://github.com/acme/people/blob/',
    );
    // Text from the files mentions nobody.
    expect(body).not.toContain(' @acme/admins');
    expect(await keepDriftIssue(github, LABEL, [SAM], context)).toEqual({ change: 'updated', issue: 1 });
    expect(github.issues).toHaveLength(1);
    expect(await keepDriftIssue(github, LABEL, [], context)).toEqual({ change: 'closed', issue: 1 });
    expect(github.issues[0]!.state).toBe('closed');
    expect(await keepDriftIssue(github, LABEL, [], context)).toEqual({ change: 'none' });
  });

  it('never edits an issue someone else opened with the label, and closes a second one of its own', async () => {
    const github = new FakeGitHub();
    github.issues.push(
      {
        number: 3,
        title: 'Drift?',
        body: `${DRIFT_MARKER}\nplanted`,
        author: 'mallory',
        labels: [LABEL],
        state: 'open',
      },
      {
        number: 4,
        title: 'x',
        body: `${DRIFT_MARKER}\nold`,
        author: 'github-actions[bot]',
        labels: [LABEL],
        state: 'open',
      },
      {
        number: 5,
        title: 'x',
        body: `${DRIFT_MARKER}\nraced`,
        author: 'github-actions[bot]',
        labels: [LABEL],
        state: 'open',
      },
    );
    expect(await keepDriftIssue(github, LABEL, [SAM], context)).toEqual({ change: 'updated', issue: 4 });
    expect(github.issues.map((issue) => [issue.number, issue.state])).toEqual([
      [3, 'open'],
      [4, 'open'],
      [5, 'closed'],
    ]);
    expect(github.issues[0]!.body).toBe(`${DRIFT_MARKER}\nplanted`);
    expect(github.calls).not.toContain('updateIssue 3');
  });
});

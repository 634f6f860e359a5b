import { describe, expect, it } from 'vitest';
import { lookAlikeFiles, offboardingFiles, readPullRequestFiles } from '../src/change-set.js';
import { DEFAULT_MANIFEST_PATHS } from '../src/inputs.js';
import { FakeGitHub } from './fake-github.js';

const HEAD = 'a'.repeat(40);

describe('offboardingFiles', () => {
  it('keeps added, modified and renamed files that match the globs, never removed ones', () => {
    const files = offboardingFiles(
      [
        { path: 'offboarding/b.yaml', status: 'added' },
        { path: 'offboarding/2026/a.csv', status: 'modified' },
        { path: 'offboarding/old.txt', status: 'removed' },
        { path: 'offboarding/renamed.json', status: 'renamed' },
        { path: 'offboarding/notes.md', status: 'added' },
        { path: 'src/offboarding/x.yaml', status: 'added' },
        { path: 'README.md', status: 'modified' },
      ],
      DEFAULT_MANIFEST_PATHS,
    );
    expect(files).toEqual(['offboarding/2026/a.csv', 'offboarding/b.yaml', 'offboarding/renamed.json']);
  });
});

describe('lookAlikeFiles', () => {
  it('names changed files that match the globs only when case is ignored', () => {
    const files = lookAlikeFiles(
      [
        { path: 'offboarding/b.YAML', status: 'added' },
        { path: 'Offboarding/c.yaml', status: 'modified' },
        { path: 'offboarding/ok.yaml', status: 'added' },
        { path: 'offboarding/old.YML', status: 'removed' },
        { path: 'offboarding/README.md', status: 'added' },
      ],
      DEFAULT_MANIFEST_PATHS,
    );
    expect(files).toEqual(['Offboarding/c.yaml', 'offboarding/b.YAML']);
  });
});

describe('readPullRequestFiles', () => {
  it('reads only the matching files, at the given commit', async () => {
    const github = new FakeGitHub();
    github.pullFiles.set(
      7,
      Array.from({ length: 250 }, (_, i) => ({ path: `docs/${i}.md`, status: 'added' })).concat([
        { path: 'offboarding/late.yaml', status: 'added' },
      ]),
    );
    github.contents.set(`${HEAD}:offboarding/late.yaml`, 'users:\n  - 1\n');
    const read = await readPullRequestFiles(
      github,
      { number: 7, changedFiles: 251 },
      HEAD,
      DEFAULT_MANIFEST_PATHS,
    );
    expect(read).toEqual({
      files: [{ path: 'offboarding/late.yaml', content: 'users:\n  - 1\n' }],
      unlisted: 0,
      lookAlikes: [],
    });
    expect(github.calls.filter((call) => call.startsWith('readFile'))).toEqual([
      `readFile offboarding/late.yaml@${HEAD}`,
    ]);
  });

  it('counts the changed files GitHub left out of the list (it lists at most 3000)', async () => {
    const github = new FakeGitHub();
    github.pullFiles.set(
      7,
      Array.from({ length: 3000 }, (_, i) => ({ path: `docs/${i}.md`, status: 'added' })),
    );
    const read = await readPullRequestFiles(
      github,
      { number: 7, changedFiles: 3002 },
      HEAD,
      DEFAULT_MANIFEST_PATHS,
    );
    expect(read.unlisted).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { lookAlikeFiles, offboardingPaths, readTwoVersions } from '../src/change-set.js';
import { DEFAULT_MANIFEST_PATHS } from '../src/inputs.js';
import { FakeGitHub } from './fake-github.js';

const BASE = 'b'.repeat(40);
const HEAD = 'a'.repeat(40);

describe('offboardingPaths', () => {
  it('keeps every matching path, also removed files and the previous path of a renamed one', () => {
    const paths = offboardingPaths(
      [
        { path: 'offboarding/b.yaml', status: 'added' },
        { path: 'offboarding/2026/a.csv', status: 'modified' },
        { path: 'offboarding/old.txt', status: 'removed' },
        { path: 'offboarding/archive/x.json', status: 'renamed', previousPath: 'offboarding/x.json' },
        { path: 'offboarding/from-docs.txt', status: 'renamed', previousPath: 'docs/leavers.txt' },
        { path: 'offboarding/notes.md', status: 'added' },
        { path: 'src/offboarding/x.yaml', status: 'added' },
        { path: 'README.md', status: 'modified' },
      ],
      DEFAULT_MANIFEST_PATHS,
    );
    expect(paths).toEqual([
      'offboarding/2026/a.csv',
      'offboarding/archive/x.json',
      'offboarding/b.yaml',
      'offboarding/from-docs.txt',
      'offboarding/old.txt',
      'offboarding/x.json',
    ]);
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

describe('readTwoVersions', () => {
  it('reads each path at both commits and leaves out the versions that do not exist', async () => {
    const github = new FakeGitHub();
    github.contents.set(`${BASE}:offboarding/x.json`, '["a@x.com"]');
    github.contents.set(`${HEAD}:offboarding/archive/x.json`, '["a@x.com"]');
    github.contents.set(`${HEAD}:offboarding/new.txt`, 'b@x.com\n');
    const versions = await readTwoVersions(
      github,
      ['offboarding/archive/x.json', 'offboarding/new.txt', 'offboarding/x.json'],
      BASE,
      HEAD,
    );
    expect(versions).toEqual({
      before: [{ path: 'offboarding/x.json', content: '["a@x.com"]' }],
      after: [
        { path: 'offboarding/archive/x.json', content: '["a@x.com"]' },
        { path: 'offboarding/new.txt', content: 'b@x.com\n' },
      ],
    });
  });
});

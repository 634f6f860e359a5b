// Tests for tag-action-release.mjs, the release workflow's tagging step, with a fake GitHub CLI.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { releaseNotes, tagActionRelease } from './tag-action-release.mjs';

const CHANGELOG = `# @smartsheet-offboard/action

## 1.2.0

### Minor Changes

- abc123: The plan shows leave dates.

## 1.1.0

- def456: Older notes.
`;

/** A fake `gh`: `tags` lists the tags that exist; every call is recorded. */
function fakeGh(tags) {
  const calls = [];
  const gh = (args) => {
    calls.push(args);
    const ref = /git\/ref\/tags\/(.+)$/.exec(args[1] ?? '')?.[1];
    if (ref !== undefined && !tags.includes(ref)) throw new Error('HTTP 404: Not Found');
    return '';
  };
  return { gh, calls };
}

const release = (version, tags) => {
  const { gh, calls } = fakeGh(tags);
  const outcome = tagActionRelease({
    version,
    sha: 'abc',
    repository: 'acme/offboard',
    changelog: CHANGELOG,
    gh,
  });
  return { outcome, calls };
};

describe('tagActionRelease', () => {
  it('does nothing for an action never versioned', () => {
    assert.deepEqual(release('0.0.0', []), { outcome: 'unversioned', calls: [] });
  });

  it('does nothing more when the version is tagged already', () => {
    const { outcome, calls } = release('1.2.0', ['v1.2.0', 'v1']);
    assert.equal(outcome, 'released-before');
    assert.deepEqual(calls, [['api', 'repos/acme/offboard/git/ref/tags/v1.2.0', '--silent']]);
  });

  it('tags the version, moves the major tag and releases with the notes of that version', () => {
    const { outcome, calls } = release('1.2.0', ['v1.1.0', 'v1']);
    assert.equal(outcome, 'released');
    assert.deepEqual(calls.slice(1, 4), [
      ['api', 'repos/acme/offboard/git/refs', '-f', 'ref=refs/tags/v1.2.0', '-f', 'sha=abc', '--silent'],
      ['api', 'repos/acme/offboard/git/ref/tags/v1', '--silent'],
      [
        'api',
        '--method',
        'PATCH',
        'repos/acme/offboard/git/refs/tags/v1',
        '-f',
        'sha=abc',
        '-F',
        'force=true',
        '--silent',
      ],
    ]);
    const create = calls.at(-1);
    assert.deepEqual(create.slice(0, 6), [
      'release',
      'create',
      'v1.2.0',
      '--verify-tag',
      '--title',
      'v1.2.0',
    ]);
    assert.match(create[7], /The plan shows leave dates/);
    assert.doesNotMatch(create[7], /Older notes/);
  });

  it('creates the major tag for the first release of a major', () => {
    const { calls } = release('2.0.0', ['v1.2.0', 'v1']);
    assert.deepEqual(calls[3], [
      'api',
      'repos/acme/offboard/git/refs',
      '-f',
      'ref=refs/tags/v2',
      '-f',
      'sha=abc',
      '--silent',
    ]);
  });

  it('stops at the first failing GitHub call, before any release is created', () => {
    const gh = (args) => {
      if (args[0] === 'api' && args[1].endsWith('/git/refs')) throw new Error('HTTP 403');
      if (args[1]?.includes('/git/ref/tags/')) throw new Error('HTTP 404');
      return '';
    };
    assert.throws(
      () =>
        tagActionRelease({
          version: '1.2.0',
          sha: 'abc',
          repository: 'acme/offboard',
          changelog: CHANGELOG,
          gh,
        }),
      /HTTP 403/,
    );
  });
});

describe('releaseNotes', () => {
  it("gives one version's section, and nothing for a version not in the changelog", () => {
    assert.equal(releaseNotes(CHANGELOG, '1.1.0'), '- def456: Older notes.\n');
    assert.equal(releaseNotes(CHANGELOG, '9.9.9'), '');
  });
});

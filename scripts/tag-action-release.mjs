#!/usr/bin/env node
// The release workflow's last step, once the version pull request is merged: tags the action vX.Y.Z, moves
// the major tag vX that users pin (`uses: …@v1`) and creates the GitHub release with this version's section
// of the action's changelog. Runs the GitHub CLI (`gh`, with GH_TOKEN); every step is skipped when done.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The lines under `## <version>` in a changesets changelog, up to the next version's heading. */
export function releaseNotes(changelog, version) {
  const lines = changelog.split('\n');
  const start = lines.indexOf(`## ${version}`);
  if (start === -1) return '';
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  return `${lines
    .slice(start + 1, end === -1 ? undefined : end)
    .join('\n')
    .trim()}\n`;
}

/**
 * Releases `version` of the action at `sha`. `gh(args)` runs the GitHub CLI and throws when it fails;
 * `log` gets one line per decision. Returns what it did: `unversioned`, `released-before` or `released`.
 */
export function tagActionRelease({ version, sha, repository, changelog, gh, log = () => {} }) {
  if (version === '0.0.0') {
    log('The action has never been versioned (0.0.0): nothing to release.');
    return 'unversioned';
  }
  const tag = `v${version}`;
  const major = tag.split('.')[0];
  const exists = (name) => {
    try {
      gh(['api', `repos/${repository}/git/ref/tags/${name}`, '--silent']);
      return true;
    } catch {
      return false;
    }
  };
  if (exists(tag)) {
    log(`${tag} already exists: the action is released.`);
    return 'released-before';
  }
  gh(['api', `repos/${repository}/git/refs`, '-f', `ref=refs/tags/${tag}`, '-f', `sha=${sha}`, '--silent']);
  // The major tag follows the newest release of that major.
  if (exists(major)) {
    gh([
      'api',
      '--method',
      'PATCH',
      `repos/${repository}/git/refs/tags/${major}`,
      '-f',
      `sha=${sha}`,
      '-F',
      'force=true',
      '--silent',
    ]);
  } else {
    gh([
      'api',
      `repos/${repository}/git/refs`,
      '-f',
      `ref=refs/tags/${major}`,
      '-f',
      `sha=${sha}`,
      '--silent',
    ]);
  }
  gh(['release', 'create', tag, '--verify-tag', '--title', tag, '--notes', releaseNotes(changelog, version)]);
  log(`Released ${tag} and moved ${major} to ${sha}.`);
  return 'released';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { env } = process;
  const actionDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'action');
  const { version } = JSON.parse(readFileSync(join(actionDir, 'package.json'), 'utf8'));
  const changelog = version === '0.0.0' ? '' : readFileSync(join(actionDir, 'CHANGELOG.md'), 'utf8');
  tagActionRelease({
    version,
    sha: env.GITHUB_SHA,
    repository: env.GITHUB_REPOSITORY,
    changelog,
    gh: (args) => execFileSync('gh', args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }),
    log: (line) => console.log(line),
  });
}

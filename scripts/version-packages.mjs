#!/usr/bin/env node
// The `version` step of the release workflow (changesets/action runs it to build the version pull request):
// `changeset version` bumps package.json files and changelogs; then the version constants compiled into the
// code (packages/*/src/version.ts, sent in the User-Agent) follow their package.json, and the committed
// action bundle is rebuilt, so the version pull request passes the same checks as any other.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const VERSION_CONSTANT = /(export const [A-Z][A-Z0-9_]*VERSION = ')[^']*(';)/g;

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
}

/** Rewrites each packages/<name>/src/version.ts constant to that package's version. */
export function syncVersionConstants(repositoryRoot) {
  const packagesDir = join(repositoryRoot, 'packages');
  const changed = [];
  for (const name of readdirSync(packagesDir)) {
    const versionFile = join(packagesDir, name, 'src', 'version.ts');
    if (!existsSync(versionFile)) continue;
    const { version } = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8'));
    const source = readFileSync(versionFile, 'utf8');
    if (!source.match(VERSION_CONSTANT)) {
      throw new Error(
        `packages/${name}/src/version.ts has no "export const …VERSION = '…';" line to set to ${version}`,
      );
    }
    const updated = source.replace(VERSION_CONSTANT, `$1${version}$2`);
    if (updated !== source) {
      writeFileSync(versionFile, updated);
      changed.push(`packages/${name}/src/version.ts → ${version}`);
    }
  }
  return changed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run('pnpm', ['exec', 'changeset', 'version']);
  for (const line of syncVersionConstants(root)) console.log(line);
  // --force: rebuild even if turbo has a cached bundle for these inputs.
  run('pnpm', ['turbo', 'run', 'build', '--filter', '@smartsheet-offboard/action', '--force']);
}

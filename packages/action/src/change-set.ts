import type { OffboardingFileVersion } from '@smartsheet-offboard/core';
import picomatch from 'picomatch';
import type { ChangedFile, GitHubApi } from './github.js';

/**
 * The offboarding files a change touches, under their path and (for a renamed file) their previous path:
 * every path that matches `globs`, whatever happened to it, since a file's old version is what its new one
 * is compared with, and a removed file's entries may have moved to another file.
 */
export function offboardingPaths(files: readonly ChangedFile[], globs: readonly string[]): string[] {
  const isOffboardingFile = picomatch([...globs]);
  const paths = files.flatMap((file) => [file.path, ...(file.previousPath ? [file.previousPath] : [])]);
  return [...new Set(paths.filter((path) => isOffboardingFile(path)))].sort();
}

/**
 * Changed files that match `globs` only when case is ignored (`offboarding/x.YAML`, `Offboarding/x.yaml`):
 * most likely meant as offboarding files, but not read, so the run says so instead of skipping them silently.
 */
export function lookAlikeFiles(files: readonly ChangedFile[], globs: readonly string[]): string[] {
  const matches = picomatch([...globs]);
  const matchesIgnoringCase = picomatch([...globs], { nocase: true });
  return files
    .filter((file) => file.status !== 'removed' && matchesIgnoringCase(file.path) && !matches(file.path))
    .map((file) => file.path)
    .sort();
}

/** The offboarding files of a change before it (at `base`) and after it (at `head`); absent files are left out. */
export interface TwoVersions {
  before: OffboardingFileVersion[];
  after: OffboardingFileVersion[];
}

/**
 * Reads `paths` at both commits, one request at a time, as GitHub asks of integrations. Without `base` (a
 * root commit) nothing came before.
 */
export async function readTwoVersions(
  api: GitHubApi,
  paths: readonly string[],
  base: string | undefined,
  head: string,
): Promise<TwoVersions> {
  const versions: TwoVersions = { before: [], after: [] };
  for (const path of paths) {
    const before = base === undefined ? undefined : await api.readFile(path, base);
    if (before !== undefined) versions.before.push({ path, content: before });
    const after = await api.readFile(path, head);
    if (after !== undefined) versions.after.push({ path, content: after });
  }
  return versions;
}

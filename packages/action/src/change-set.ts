import picomatch from 'picomatch';
import type { ChangedFile, GitHubApi, PullRequestInfo } from './github.js';

/** Statuses whose content the pull request adds or changes (a removed file offboards nobody). */
const CHANGED_STATUSES = new Set(['added', 'modified', 'renamed', 'copied', 'changed']);

/** The offboarding files a pull request adds or changes: paths matching `globs`. */
export function offboardingFiles(files: readonly ChangedFile[], globs: readonly string[]): string[] {
  const isOffboardingFile = picomatch([...globs]);
  return files
    .filter((file) => CHANGED_STATUSES.has(file.status) && isOffboardingFile(file.path))
    .map((file) => file.path)
    .sort();
}

/**
 * Changed files that match `globs` only when case is ignored (`offboarding/x.YAML`, `Offboarding/x.yaml`):
 * most likely meant as offboarding files, but not read, so the run says so instead of skipping them silently.
 */
export function lookAlikeFiles(files: readonly ChangedFile[], globs: readonly string[]): string[] {
  const matches = picomatch([...globs]);
  const matchesIgnoringCase = picomatch([...globs], { nocase: true });
  return files
    .filter(
      (file) => CHANGED_STATUSES.has(file.status) && matchesIgnoringCase(file.path) && !matches(file.path),
    )
    .map((file) => file.path)
    .sort();
}

/** The offboarding files of a pull request, and what the listing could not cover. */
export interface PullRequestFiles {
  files: { path: string; content: string }[];
  /** Changed files GitHub did not list (it lists at most 3000): offboarding files among them were not read. */
  unlisted: number;
  /** Changed files that match manifest-paths only when case is ignored; not read. */
  lookAlikes: string[];
}

/** Reads the offboarding files of a pull request at `ref` (the commit that was reviewed and approved). */
export async function readPullRequestFiles(
  api: GitHubApi,
  pr: Pick<PullRequestInfo, 'number' | 'changedFiles'>,
  ref: string,
  globs: readonly string[],
): Promise<PullRequestFiles> {
  const changed = await api.listPullRequestFiles(pr.number);
  const files: { path: string; content: string }[] = [];
  // One request at a time, as GitHub asks of integrations to stay clear of its secondary rate limits.
  for (const path of offboardingFiles(changed, globs)) {
    files.push({ path, content: await api.readFile(path, ref) });
  }
  return {
    files,
    unlisted: Math.max(0, (pr.changedFiles ?? 0) - changed.length),
    lookAlikes: lookAlikeFiles(changed, globs),
  };
}

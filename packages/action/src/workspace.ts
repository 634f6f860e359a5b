import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { glob } from 'tinyglobby';

/**
 * The files of the checked-out repository that match `globs` (for `workflow_dispatch` with
 * `manifest-paths`), as bytes: core decodes them and enforces the size limit with a located finding.
 */
export async function readWorkspaceFiles(
  workspace: string,
  globs: readonly string[],
): Promise<{ path: string; content: Uint8Array }[]> {
  const paths = (
    await glob([...globs], { cwd: workspace, onlyFiles: true, expandDirectories: false })
  ).sort();
  return Promise.all(paths.map(async (path) => ({ path, content: await readFile(join(workspace, path)) })));
}

import { readFile, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { glob } from 'tinyglobby';

/**
 * The files of the checked-out repository that match `globs` (for `workflow_dispatch` with
 * `manifest-paths`), as bytes: core decodes them and enforces the size limit with a located finding.
 * A symbolic link that leads outside the workspace is refused rather than read.
 */
export async function readWorkspaceFiles(
  workspace: string,
  globs: readonly string[],
): Promise<{ path: string; content: Uint8Array }[]> {
  const root = await realpath(workspace);
  const paths = (await glob([...globs], { cwd: root, onlyFiles: true, expandDirectories: false })).sort();
  const files: { path: string; content: Uint8Array }[] = [];
  for (const path of paths) {
    const target = relative(root, await realpath(join(root, path)));
    if (target === '..' || target.startsWith(`..${sep}`)) {
      throw new Error(`${path} matches manifest-paths but links outside the repository; refusing to read it`);
    }
    files.push({ path, content: await readFile(join(root, path)) });
  }
  return files;
}

// Fails when the committed dist/ is not what the sources build to: the runner executes dist/, not src/.
// Compiles the sources, bundles them into a temporary folder and compares it with dist/ file by file.
// dist/ itself is never touched here, because other packages' tests run the bundle at the same time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(packageDir, 'dist');
const run = (command, args) =>
  execFileSync(command, args, { cwd: packageDir, encoding: 'utf8', stdio: 'pipe' });

const freshDir = mkdtempSync(join(tmpdir(), 'offboard-dist-'));
try {
  run('pnpm', ['exec', 'tsc', '-p', 'tsconfig.build.json']);
  // The same flags as the package's `bundle` script, with only the output folder changed.
  const bundleFlags = ['--license', 'licenses.txt', '--target', 'es2022'];
  run('pnpm', ['exec', 'ncc', 'build', 'lib/index.js', '-o', freshDir, ...bundleFlags]);

  const names = new Set([...readdirSync(freshDir), ...readdirSync(distDir)]);
  const differing = [...names].filter((name) => {
    try {
      return !readFileSync(join(freshDir, name)).equals(readFileSync(join(distDir, name)));
    } catch {
      return true; // present on one side only
    }
  });
  const uncommitted = run('git', ['status', '--porcelain', '--untracked-files=all', '--', 'dist']).trim();
  if (differing.length > 0 || uncommitted !== '') {
    console.error(
      'packages/action/dist/ differs from a fresh build of the sources' +
        (differing.length > 0 ? ` (${differing.join(', ')})` : '') +
        (uncommitted !== '' ? ` or is not committed:\n${uncommitted}` : '') +
        '\nRun `pnpm --filter @smartsheet-offboard/action build` and commit packages/action/dist/.',
    );
    process.exit(1);
  }
  console.log('packages/action/dist/ matches a fresh build of the sources.');
} finally {
  rmSync(freshDir, { recursive: true, force: true });
}

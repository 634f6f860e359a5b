// Fails when the committed dist/ is not what the sources build to: the runner executes dist/, not src/.
// Rebuilds from scratch (no turbo cache), then asks git whether dist/ changed.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args) =>
  execFileSync(command, args, { cwd: packageDir, encoding: 'utf8', stdio: 'pipe' });

rmSync(join(packageDir, 'lib'), { recursive: true, force: true });
rmSync(join(packageDir, 'dist'), { recursive: true, force: true });
run('pnpm', ['exec', 'tsc', '-p', 'tsconfig.build.json']);
run('pnpm', ['run', '--silent', 'bundle']);

const changes = run('git', ['status', '--porcelain', '--untracked-files=all', '--', 'dist']).trim();
if (changes !== '') {
  console.error(
    `packages/action/dist/ differs from a fresh build of the sources:\n${changes}\n` +
      'Run `pnpm --filter @smartsheet-offboard/action build` and commit packages/action/dist/.',
  );
  process.exit(1);
}
console.log('packages/action/dist/ matches a fresh build of the sources.');

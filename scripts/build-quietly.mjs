#!/usr/bin/env node
// `node scripts/build-quietly.mjs <package>`: builds a package and what it depends on with turbo before
// `pnpm offboard`, `pnpm simulator` or `pnpm demo` runs it, printing nothing unless the build fails, so
// turbo's banners (telemetry, "Finishing writing to cache", the task summary) do not run into the
// program's own output. Set SMARTSHEET_OFFBOARD_BUILT=1 to skip the build when the packages are built
// already (CI, and the tests that run these scripts while other tests read the build's output).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [target] = process.argv.slice(2);
if (!target) {
  console.error('Usage: node scripts/build-quietly.mjs <package name, e.g. @smartsheet-offboard/cli>');
  process.exit(2);
}
// biome-ignore lint/suspicious/noUndeclaredEnvVars: read before turbo runs, by a script that is no turbo task
if (process.env.SMARTSHEET_OFFBOARD_BUILT !== '1') {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const turbo = fileURLToPath(new URL('../node_modules/turbo/bin/turbo', import.meta.url));
  const build = spawnSync(
    process.execPath,
    [turbo, 'run', 'build', `--filter=${target}...`, '--output-logs=errors-only'],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        TURBO_TELEMETRY_DISABLED: '1',
        DO_NOT_TRACK: '1',
        TURBO_NO_UPDATE_NOTIFIER: '1',
      },
    },
  );
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
    console.error(`Building ${target} failed (exit ${build.status ?? build.signal}); nothing was run.`);
    process.exit(1);
  }
}

import { type CliOptions, type CliRun, runCli } from '@smartsheet-offboard/testkit/processes';
import { collect } from './outputs.js';
import { TOKEN } from './secret.js';

/** Runs the built `smartsheet-offboard` as its own process with the suite's token, and collects what it printed. */
export async function cli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const run = await runCli(args, { ...options, env: { SMARTSHEET_ACCESS_TOKEN: TOKEN, ...options.env } });
  await collect(`smartsheet-offboard ${args[0]} stdout`, run.stdout);
  await collect(`smartsheet-offboard ${args[0]} stderr`, run.stderr);
  return run;
}

#!/usr/bin/env node
import { runCli, UsageError } from './cli.js';

try {
  const sim = await runCli(process.argv.slice(2), { out: (line) => console.log(line) });
  if (sim) {
    const stop = () => {
      sim.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  console.error(`smartsheet-simulator: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof UsageError) console.error('Run smartsheet-simulator --help for the options.');
  process.exit(2);
}

#!/usr/bin/env node
import { main } from './main.js';

// `smartsheet-offboard plan | head` closes the pipe early: stop writing, but still finish the run
// and exit with its code, as a crash on EPIPE would hide what happened.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
  exitNow: (code) => process.exit(code),
});

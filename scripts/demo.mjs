#!/usr/bin/env node
// `pnpm demo`: the whole offboarding flow on a local Smartsheet simulator, nothing to set up.
// It starts the simulator with the example organisation, then runs the real command line as a
// newcomer would: validate an offboarding file, plan, apply, and plan again to show that a second
// run changes nothing. It exits 0 when every step behaved as expected, and 1 otherwise.
import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../packages/simulator/lib/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../packages/cli/lib/bin.js', import.meta.url));
const seedFile = fileURLToPath(new URL('../packages/simulator/examples/org.yaml', import.meta.url));
const offboardingFile = 'examples/offboarding/2026-11-26-demo.yaml';
// The example organisation's System Admin. A demo token, not a secret: the simulator only listens on 127.0.0.1.
const demoToken = 'demo-admin-token';
const stepTimeoutMs = 60_000;

const expected = {
  deactivated: ['4583173393803140', '2331373580117892', '9007199254740993'],
  stillActive: ['48569348493401200', '7726193384011204'],
};

class DemoFailure extends Error {}

// `pnpm demo | head` closes the pipe early: keep going quietly so the simulator still stops.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});

/** Runs the built CLI as its own process, its output straight to this terminal. */
function smartsheetOffboard(args) {
  console.log(`$ smartsheet-offboard ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      // The token goes to the child processes only, never on a command line.
      env: { ...process.env, SMARTSHEET_ACCESS_TOKEN: demoToken },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new DemoFailure(`smartsheet-offboard ${args[0]} did not finish within ${stepTimeoutMs / 1000} s`),
      );
    }, stepTimeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function step(number, title, args, expectedCode, explanation) {
  console.log(`\n${`── ${number}/4 ${title}`}\n`);
  const code = await smartsheetOffboard(args);
  if (code !== expectedCode) {
    throw new DemoFailure(`step ${number} (${args[0]}) exited ${code}, expected ${expectedCode}`);
  }
  console.log(`\n→ exit code ${code}: ${explanation}`);
}

function check(condition, problem) {
  if (!condition) throw new DemoFailure(problem);
}

const simulator = await startSimulator({ seedFile });
let failed = false;
try {
  const target = ['--file', offboardingFile, '--base-url', simulator.url, '--plan-domains', 'example.com'];
  console.log('smartsheet-offboard demo');
  console.log(`A local Smartsheet simulator is running at ${simulator.url}`);
  console.log(`with the example organisation (${relative(root, seedFile)}); its System Admin's token`);
  console.log('is in SMARTSHEET_ACCESS_TOKEN for the commands below.');

  await step(
    1,
    'Validate the offboarding file (offline, no token needed)',
    ['validate', offboardingFile],
    0,
    'the file is well formed.',
  );

  await step(
    2,
    'Plan: what apply would do (reads only)',
    ['plan', ...target],
    1,
    'joe@gmail.com is blocked (a personal address on an ISP domain); the others can go ahead.',
  );
  check(
    simulator.journal().every((entry) => entry.method === 'GET'),
    'plan sent a request that changes something',
  );

  await step(
    3,
    'Apply: deactivate (--yes: no question, as in CI)',
    ['apply', '--yes', ...target],
    1,
    'expected here: two users are blocked. olivia.okta@example.com is managed by the company\n' +
      '  directory, which Smartsheet only says when asked to deactivate her: do it in the directory instead.\n' +
      '  Everyone else is deactivated or was already.',
  );
  for (const id of expected.deactivated) {
    check(simulator.user(id)?.status === 'DEACTIVATED', `user ${id} is not deactivated after apply`);
  }
  for (const id of expected.stillActive) {
    check(simulator.user(id)?.status === 'ACTIVE', `user ${id} changed although Smartsheet refuses it`);
  }

  const beforeReplan = simulator.journal().at(-1)?.seq ?? 0;
  await step(
    4,
    'Plan again: the run is idempotent',
    ['plan', ...target],
    1,
    'the three deactivated users now show already-deactivated: running apply again sends nothing\n' +
      '  for them. olivia.okta@example.com still reads would-deactivate (the user list does not say who\n' +
      '  the directory manages), and Smartsheet would refuse her again: handle her in the directory.',
  );
  check(
    simulator.journal(beforeReplan).every((entry) => entry.method === 'GET'),
    'the second plan sent a request that changes something',
  );

  console.log(`\n${'Done: every step behaved as expected.'} Where to look next:`);
  console.log(
    '  README.md                       the GitHub Action: a pull request adds a file, the plan is commented, merging applies it',
  );
  console.log('  packages/cli/README.md          every command, option and exit code of smartsheet-offboard');
  console.log('  examples/offboarding/           offboarding files in each format (YAML, JSON, CSV, text)');
  console.log('  examples/workflows/             workflow files to copy into .github/workflows/');
  console.log('  packages/simulator/examples/    the example organisation, to try your own files against');
} catch (error) {
  failed = true;
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await simulator.stop();
}
process.exitCode = failed ? 1 : 0;

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built command line, run the way a user runs it: `node lib/bin.js …` as its own process. */
export const CLI_BIN = fileURLToPath(new URL('../../cli/lib/bin.js', import.meta.url));

/** The committed action bundle, as a runner starts it. */
export const ACTION_BUNDLE = fileURLToPath(new URL('../../action/dist/index.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to a clean environment (no inherited token or colour settings). */
  env?: Record<string, string>;
  cwd?: string;
  /** Called once the process has started, e.g. to send it a signal later. */
  onSpawn?: (child: ChildProcess) => void;
  timeoutMs?: number;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['SMARTSHEET_ACCESS_TOKEN', 'FORCE_COLOR', 'NO_COLOR', 'CI']) delete env[name];
  return { ...env, ...extra };
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  if (!existsSync(CLI_BIN))
    throw new Error(
      `${CLI_BIN} is missing: build the CLI first (pnpm --filter @smartsheet-offboard/cli build)`,
    );
  return runNode([CLI_BIN, ...args], options);
}

/** Runs `node …args` in a clean environment, collecting its output; the CLI and the demo run this way. */
export function runNode(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output = collectOutput(child);
    child.stdin.end();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `node ${args.join(' ')} did not finish in time\nstdout: ${output.stdout}\nstderr: ${output.stderr}`,
        ),
      );
    }, options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: output.stdout, stderr: output.stderr });
    });
    options.onSpawn?.(child);
  });
}

export interface BundleOptions {
  eventName: string;
  payload: object;
  /** Action inputs by name, as `action.yml` names them; the runner passes them as `INPUT_*` variables. */
  inputs: Record<string, string>;
  githubApiUrl: string;
  /** The checked-out repository; the runner's fresh temporary directory when not given. */
  workspace?: string;
  sha?: string;
  runId?: string;
  /** The Node binary; the one running the tests unless given (end-to-end tests pass the runners' Node 24). */
  node?: string;
  /** Variables the step sets (a workflow's `env:`), added to the runner's. */
  env?: Record<string, string>;
  /** Called once the process has started, e.g. to cancel it with SIGINT as the runner does. */
  onSpawn?: (child: ChildProcess) => void;
  /** After this long the process is killed (SIGKILL) and the run reports `signal`. */
  timeoutMs?: number;
}

export interface BundleRun {
  code: number | null;
  /** The signal that ended the process, when one did (SIGKILL: it outlived `timeoutMs`). */
  signal: NodeJS.Signals | null;
  /** From the start of the process to its end. */
  elapsedMs: number;
  stdout: string;
  stderr: string;
  /** `GITHUB_OUTPUT` as written by `@actions/core`, by name. */
  outputs: Record<string, string>;
  /** `GITHUB_OUTPUT` exactly as written. */
  outputText: string;
  summary: string;
  runnerTemp: string;
}

/**
 * Starts the committed bundle in its own process the way a GitHub runner does: inputs as `INPUT_*`
 * variables, the event in a file, outputs and the job summary written to files, GitHub's API at
 * `githubApiUrl`.
 */
export async function runActionBundle(options: BundleOptions): Promise<BundleRun> {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'offboard-runner-'));
  const files = {
    event: join(runnerTemp, 'event.json'),
    output: join(runnerTemp, 'output.txt'),
    summary: join(runnerTemp, 'summary.md'),
  };
  await writeFile(files.event, JSON.stringify(options.payload));
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  const workspace = options.workspace ?? runnerTemp;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_API_URL: options.githubApiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/people',
    GITHUB_RUN_ID: options.runId ?? '9001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: options.sha ?? 'c'.repeat(40),
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
  };
  // The runner's naming: upper case, spaces to underscores, hyphens kept.
  for (const [name, value] of Object.entries(options.inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;

  Object.assign(env, options.env);
  const started = performance.now();
  const child = spawn(options.node ?? process.execPath, [ACTION_BUNDLE], { env, cwd: workspace });
  const output = collectOutput(child);
  options.onSpawn?.(child);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (exitCode, exitSignal) => {
      clearTimeout(timer);
      resolve([exitCode, exitSignal]);
    });
  });
  const elapsedMs = performance.now() - started;
  const outputText = await readFile(files.output, 'utf8');
  return {
    code,
    signal,
    elapsedMs,
    stdout: output.stdout,
    stderr: output.stderr,
    outputs: parseOutputs(outputText),
    outputText,
    summary: await readFile(files.summary, 'utf8'),
    runnerTemp,
  };
}

/** What a child process has written so far, as text. */
function collectOutput(child: ChildProcess): { stdout: string; stderr: string } {
  const output = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output.stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk;
  });
  return output;
}

/** `name<<DELIMITER\nvalue\nDELIMITER` entries, as `@actions/core` writes them to GITHUB_OUTPUT. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const entry = /^(.+?)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n?\2$/gm;
  for (const [, name, , value] of text.matchAll(entry)) outputs[name!] = value!;
  return outputs;
}

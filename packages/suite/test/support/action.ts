import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { collect } from './outputs.js';
import { TOKEN } from './secret.js';

/** The committed bundle, run as the runner runs it. */
export const BUNDLE = fileURLToPath(new URL('../../../action/dist/index.js', import.meta.url));

export interface BundleRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** `GITHUB_OUTPUT` as written by `@actions/core`, by name. */
  outputs: Record<string, string>;
  summary: string;
  /** Workflow commands the run printed: `::error::…`, `::warning file=…::…`. */
  errors: string[];
}

export interface BundleOptions {
  eventName: string;
  payload: object;
  inputs: Record<string, string>;
  /** The checked-out repository; a fresh empty directory when not given. */
  workspace?: string;
  githubApiUrl: string;
  sha?: string;
}

/**
 * Starts `dist/index.js` in its own process with `INPUT_*` variables, the event in a file and the
 * output and summary files, then collects everything it showed for the suite's token sweep.
 */
export async function runBundle(options: BundleOptions): Promise<BundleRun> {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'offboard-suite-runner-'));
  const files = {
    event: join(runnerTemp, 'event.json'),
    output: join(runnerTemp, 'output.txt'),
    summary: join(runnerTemp, 'summary.md'),
  };
  await writeFile(files.event, JSON.stringify(options.payload));
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
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
    GITHUB_RUN_ID: '9001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: options.sha ?? 'c'.repeat(40),
    GITHUB_WORKSPACE: options.workspace ?? runnerTemp,
    RUNNER_TEMP: runnerTemp,
  };
  const inputs = { 'smartsheet-token': TOKEN, 'github-token': 'ghs_suiteFakeGitHubToken', ...options.inputs };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;

  const child = spawn(process.execPath, [BUNDLE], { env, cwd: options.workspace ?? runnerTemp });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const outputText = await readFile(files.output, 'utf8');
  const summary = await readFile(files.summary, 'utf8');
  const label = `action on ${options.eventName}`;
  // `::add-mask::VALUE` is how the runner learns a secret: it consumes the line and shows it to nobody.
  const shown = stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  expect(stdout).toContain(`::add-mask::${TOKEN}`);
  await collect(`${label} stdout (logs, annotations)`, shown);
  await collect(`${label} stderr`, stderr);
  await collect(`${label} outputs`, outputText);
  await collect(`${label} job summary`, summary);
  const outputs: Record<string, string> = {};
  for (const [, name, , value] of outputText.matchAll(/^(.+?)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n?\2$/gm)) {
    outputs[name!] = value!;
  }
  const errors = stdout.split('\n').filter((line) => line.startsWith('::error'));
  return { code, stdout, stderr, outputs, summary, errors };
}

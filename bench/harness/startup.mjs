// Benchmark 3: from a process's start to its first request, and the SDK's import alone.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

export const ACTION_BUNDLE = fileURLToPath(new URL('../../packages/action/dist/index.js', import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A loopback server that notes when its first request arrives and answers 503 to everything. */
async function firstRequestRecorder() {
  let resolveFirst;
  const first = new Promise((resolve) => {
    resolveFirst = resolve;
  });
  const server = createServer((request, response) => {
    resolveFirst(performance.now());
    request.resume();
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end('{"errorCode":4001,"message":"bench","refId":"bench"}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, first, close: () => server.close() };
}

/** Milliseconds from spawning `args` to the first request reaching the recorder; the process is then killed. */
async function timeToFirstRequest(args, env, cwd) {
  const recorder = await firstRequestRecorder();
  const start = performance.now();
  const child = spawn(process.execPath, args(recorder.url), { env: env(recorder.url), cwd, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const firstAt = await Promise.race([
      recorder.first,
      exited.then((code) => {
        throw new Error(`${args(recorder.url).join(' ')} exited (${code}) before any request`);
      }),
    ]);
    return firstAt - start;
  } finally {
    child.kill('SIGKILL');
    await exited;
    recorder.close();
  }
}

async function timeToExit(args, cwd) {
  const start = performance.now();
  const child = spawn(process.execPath, args, { cwd, stdio: 'ignore' });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}`);
  return performance.now() - start;
}

async function medianOf(runs, measure) {
  await measure(); // warms the file system cache
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await measure());
  return median(times);
}

export async function benchStartup({ runs = 9 } = {}) {
  const workspace = await mkdtemp(join(tmpdir(), 'offboard-bench-startup-'));
  const eventPath = join(workspace, 'event.json');
  await writeFile(eventPath, JSON.stringify({ inputs: {} }));
  // The runner creates these files before a step starts.
  await writeFile(join(workspace, 'output'), '');
  await writeFile(join(workspace, 'summary.md'), '');
  // The runner's environment for a manual run that plans one user against the recorder.
  const actionEnv = (url) => ({
    PATH: process.env.PATH,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'acme/offboarding',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    GITHUB_API_URL: url,
    GITHUB_OUTPUT: join(workspace, 'output'),
    GITHUB_STEP_SUMMARY: join(workspace, 'summary.md'),
    RUNNER_TEMP: workspace,
    'INPUT_SMARTSHEET-TOKEN': 'bench-startup-token',
    'INPUT_GITHUB-TOKEN': 'bench-github-token',
    INPUT_MODE: 'plan',
    'INPUT_USER-IDS': '2345678901234567',
    'INPUT_API-BASE-URL': url,
    'INPUT_COMMENT-ON-PR': 'false',
  });
  try {
    const action = await medianOf(runs, () =>
      timeToFirstRequest(() => [ACTION_BUNDLE], actionEnv, workspace),
    );
    const sdkImport = await medianOf(runs, () => timeToExit(['-e', "import('smartsheet')"], BENCH_DIR));
    const sdkFirstRequest = await medianOf(runs, () =>
      timeToFirstRequest(
        (url) => [
          '-e',
          `import('smartsheet').then((s) => s.createClient({ accessToken: 'x', baseUrl: '${url}/' }).users.getCurrentUser({}).catch(() => {}))`,
        ],
        () => ({ PATH: process.env.PATH }),
        BENCH_DIR,
      ),
    );
    const bareNode = await medianOf(runs, () => timeToExit(['-e', '0'], BENCH_DIR));
    return { runs, action, sdkImport, sdkFirstRequest, bareNode };
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

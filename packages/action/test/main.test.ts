// The entry module in the `actions/typescript-action` shape: `@github/local-action` imports it and calls
// `run()` itself, so importing it must do nothing.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('src/main.ts', () => {
  it('does nothing on import, and exports run() taking no arguments', async () => {
    // Without GITHUB_OUTPUT, @actions/core would write any output or failure to stdout.
    delete process.env.GITHUB_OUTPUT;
    const written = vi.spyOn(process.stdout, 'write');
    const signals = process.listenerCount('SIGINT');
    const main = await import('../src/main.js');
    expect(typeof main.run).toBe('function');
    expect(main.run.length).toBe(0);
    expect(written).not.toHaveBeenCalled();
    expect(process.listenerCount('SIGINT')).toBe(signals);
    expect(process.exitCode).toBeUndefined();
  });

  it('run() runs the action: an unsupported event fails once, with every output at its safe default', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'offboard-main-'));
    const output = join(directory, 'output.txt');
    await writeFile(output, '');
    process.env.GITHUB_OUTPUT = output;
    process.env.GITHUB_EVENT_NAME = 'issue_comment';
    process.env.RUNNER_TEMP = directory;
    const written = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
    const { run } = await import('../src/main.js');
    await run();
    // run() listens for cancellation; this worker goes on running other tests.
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
      }
    }
    expect(process.exitCode).toBe(1);
    expect(written.mock.calls.map(([text]) => String(text)).join('')).toContain(
      "::error::smartsheet-offboard does not handle the 'issue_comment' event",
    );
    expect(await readFile(output, 'utf8')).toContain('deactivated<<ghadelimiter_');
  });
});

import { PassThrough } from 'node:stream';
import { type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliIo, main } from '../src/main.js';
import { leaversOrg } from './org.js';

// A terminal cannot be given to a child process through pipes, so these run `main` in-process with
// streams that say they are terminals; Smartsheet is still the simulator over HTTP.

const TOKEN = 'cli-terminal-token-9a8b7c6d5e';
const { leavers: LEAVERS, seed } = leaversOrg(TOKEN, 5, 6000000000000000n);
const ESC = '\u001b[';

class Terminal extends PassThrough {
  isTTY = true;
  columns = 120;
  text = '';
  constructor() {
    super();
    this.setEncoding('utf8');
    this.on('data', (chunk: string) => {
      this.text += chunk;
    });
  }
}

interface TerminalOptions {
  answer?: string;
  tty?: boolean;
  /** The terminal's width (default 120). */
  columns?: number;
  env?: Record<string, string>;
  /** Presses Ctrl-C as soon as the command starts listening for it. */
  interruptAtOnce?: boolean;
}

function terminalIo(options: TerminalOptions = {}) {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty ?? true });
  if (options.answer !== undefined) stdin.write(`${options.answer}\n`);
  const stdout = new Terminal();
  const stderr = new Terminal();
  stdout.isTTY = options.tty ?? true;
  stderr.isTTY = options.tty ?? true;
  stdout.columns = options.columns ?? stdout.columns;
  const io: CliIo = {
    stdin,
    stdout,
    stderr,
    env: { SMARTSHEET_ACCESS_TOKEN: TOKEN, ...options.env },
    onInterrupt: (handler) => {
      if (options.interruptAtOnce) queueMicrotask(handler);
      return () => undefined;
    },
    exitNow: (code) => {
      throw new Error(`exitNow(${code}) was not expected`);
    },
  };
  return { io, stdout, stderr };
}

let simulator: Simulator;
const targets = () => [
  ...LEAVERS.flatMap((leaver) => ['--user-id', leaver.id]),
  '--requests-per-minute',
  '6000',
];
const deactivated = () =>
  simulator.journal().filter((entry) => entry.endpoint === 'deactivateUser' && entry.status === 200);

beforeEach(async () => {
  simulator = await startSimulator({ seed, requestsPerMinute: Number.POSITIVE_INFINITY });
});

afterEach(async () => {
  await simulator.stop();
});

describe('apply on a terminal', () => {
  it('shows the plan, asks, and deactivates after yes', async () => {
    const { io, stdout } = terminalIo({ answer: 'y' });
    const code = await main(['apply', ...targets(), '--base-url', simulator.url], io);
    expect(code).toBe(0);
    const plan = stdout.text.indexOf('would-deactivate');
    const question = stdout.text.indexOf('Deactivate 5 users marked would-deactivate? [y/N]');
    const summary = stdout.text.indexOf('5 deactivated');
    expect(plan).toBeGreaterThanOrEqual(0);
    expect(question).toBeGreaterThan(plan);
    expect(summary).toBeGreaterThan(question);
    expect(deactivated()).toHaveLength(5);
  });

  it('stacks the plan and the report on a terminal too narrow for the table', async () => {
    const { io, stdout } = terminalIo({ answer: 'y', columns: 40, env: { NO_COLOR: '1' } });
    const code = await main(['apply', ...targets(), '--base-url', simulator.url], io);
    expect(code).toBe(0);
    expect(stdout.text).not.toContain('OUTCOME');
    expect(stdout.text.split('outcome: would-deactivate\n')).toHaveLength(6);
    expect(stdout.text.split('outcome: deactivated\n')).toHaveLength(6);
    expect(stdout.text).toContain(`  id      ${LEAVERS[0]!.id}\n  email   ${LEAVERS[0]!.email}\n`);
  });

  it.each(['n', '', 'maybe'])('changes nothing after %j and exits 1', async (answer) => {
    const { io, stdout } = terminalIo({ answer });
    const code = await main(['apply', ...targets(), '--base-url', simulator.url], io);
    expect(code).toBe(1);
    expect(stdout.text).toContain('Nothing was changed.');
    expect(deactivated()).toEqual([]);
  });

  it('Ctrl-C while planning: no question, nothing changed, exit 130', async () => {
    const { io, stdout, stderr } = terminalIo({ answer: 'y', interruptAtOnce: true });
    const code = await main(['apply', ...targets(), '--base-url', simulator.url], io);
    expect(code).toBe(130);
    expect(stdout.text).not.toContain('[y/N]');
    expect(stdout.text).toContain('Nothing was changed.');
    expect(stderr.text).toContain('Interrupted');
    expect(deactivated()).toEqual([]);
  });

  it('with --json asks on stderr and keeps stdout for the report', async () => {
    const { io, stdout, stderr } = terminalIo({ answer: 'yes' });
    const code = await main(['apply', '--json', ...targets(), '--base-url', simulator.url], io);
    expect(code).toBe(0);
    expect(stderr.text).toContain('[y/N]');
    expect(JSON.parse(stdout.text).summary.deactivated).toBe(5);
  });

  it('draws a progress bar on stderr, in colour unless NO_COLOR', async () => {
    const coloured = terminalIo();
    expect(await main(['apply', '--yes', ...targets(), '--base-url', simulator.url], coloured.io)).toBe(0);
    expect(coloured.stderr.text).toMatch(/Deactivating .*5\/5/);
    expect(coloured.stdout.text).toContain(`${ESC}`);

    simulator.reset();
    const plain = terminalIo({ env: { NO_COLOR: '1' } });
    expect(await main(['apply', '--yes', ...targets(), '--base-url', simulator.url], plain.io)).toBe(0);
    expect(plain.stdout.text).not.toContain(ESC);
  });

  it('draws no progress bar with --json, nor when stderr is not a terminal', async () => {
    const json = terminalIo();
    expect(await main(['apply', '--yes', '--json', ...targets(), '--base-url', simulator.url], json.io)).toBe(
      0,
    );
    expect(json.stderr.text).toBe('');

    simulator.reset();
    const piped = terminalIo({ tty: false });
    expect(await main(['apply', '--yes', ...targets(), '--base-url', simulator.url], piped.io)).toBe(0);
    expect(piped.stderr.text).toBe('');
    expect(piped.stdout.text).not.toContain(ESC);
  });
});

import { spawn } from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { CLI_BIN } from './processes.js';

/**
 * The built CLI on a real pseudo-terminal: stdin, stdout and stderr are one terminal of the given size,
 * as in a terminal emulator. Keys are typed with `type` (Ctrl-C is "\x03", which the terminal turns
 * into SIGINT for the process, or a key readline reads at a prompt).
 */
export interface TerminalSession {
  /** Everything the terminal showed so far, escape sequences included. */
  readonly screen: string;
  type(keys: string): void;
  /** Resolves once the screen shows `text` (after `from`, an offset into the screen). */
  waitFor(text: string | RegExp, from?: number): Promise<number>;
  /** Resolves to the exit code. */
  exited: Promise<number>;
}

export interface TerminalOptions {
  env?: Record<string, string>;
  cwd?: string;
  columns?: number;
  rows?: number;
  timeoutMs?: number;
}

export function runOnTerminal(args: readonly string[], options: TerminalOptions = {}): TerminalSession {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !['SMARTSHEET_ACCESS_TOKEN', 'FORCE_COLOR', 'NO_COLOR', 'CI'].includes(name)) {
      env[name] = value;
    }
  }
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd,
    cols: options.columns ?? 120,
    rows: options.rows ?? 40,
    env: { ...env, TERM: 'xterm-256color', ...options.env },
  });
  let screen = '';
  const waiters = new Set<() => void>();
  child.onData((data) => {
    screen += data;
    for (const check of waiters) check();
  });
  const timeoutMs = options.timeoutMs ?? 20_000;
  const exited = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`smartsheet-offboard ${args.join(' ')} did not finish in time; the screen:\n${screen}`),
      );
    }, timeoutMs);
    child.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return {
    get screen() {
      return screen;
    },
    type: (keys) => child.write(keys),
    exited,
    waitFor(text, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const rest = screen.slice(from);
          const index = typeof text === 'string' ? rest.indexOf(text) : rest.search(text);
          if (index < 0) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(from + index);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the terminal never showed ${String(text)}; it showed:\n${screen}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * What a person sees: the output played into a terminal emulator of that width, every line of its
 * scrollback and screen, so a redraw that overwrote a line shows as it would on a real terminal. A line
 * the terminal wrapped is given whole.
 */
export function renderScreen(screen: string, columns: number): Promise<string[]> {
  const terminal = new xterm.Terminal({
    cols: columns,
    rows: 40,
    scrollback: 10_000,
    allowProposedApi: true,
  });
  return new Promise((resolve) => {
    terminal.write(screen, () => {
      const buffer = terminal.buffer.active;
      const lines: string[] = [];
      for (let row = 0; row < buffer.length; row++) {
        const line = buffer.getLine(row)!;
        // A line the terminal wrapped continues the one before: one logical line, as it was written.
        if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += line.translateToString(true);
        else lines.push(line.translateToString(true));
      }
      terminal.dispose();
      while (lines.at(-1) === '') lines.pop();
      resolve(lines);
    });
  });
}

/** The screen without colours and cursor movement, lines as a person reads them (`\r\n` as `\n`). */
export function plainText(screen: string): string {
  return screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

import { type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { leaversOrg } from '@smartsheet-offboard/testkit/orgs';
import { plainText, renderScreen, runOnTerminal } from '@smartsheet-offboard/testkit/terminal';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The built CLI on a real pseudo-terminal (what a person at a terminal emulator has): the prompt,
// Ctrl-C as a key, colours, the progress bar and the table's width all come from the terminal itself.

const TOKEN = 'cli-terminal-token-9a8b7c6d5e';
const { leavers: LEAVERS, seed } = leaversOrg(TOKEN, 5, 6000000000000000n);
const ESC = '\u001b[';
const CTRL_C = '\u0003';

let simulator: Simulator;
const targets = () => [
  ...LEAVERS.flatMap((leaver) => ['--user-id', leaver.id]),
  '--base-url',
  simulator.url,
  '--requests-per-minute',
  '6000',
];
const deactivated = () =>
  simulator.journal().filter((entry) => entry.endpoint === 'deactivateUser' && entry.status === 200);
const terminal = (
  args: string[],
  options: { columns?: number; cwd?: string; env?: Record<string, string> } = {},
) => runOnTerminal(args, { ...options, env: { SMARTSHEET_ACCESS_TOKEN: TOKEN, ...options.env } });

beforeEach(async () => {
  simulator = await startSimulator({ seed, requestsPerMinute: Number.POSITIVE_INFINITY });
});

afterEach(async () => {
  await simulator.stop();
});

describe('apply on a terminal', () => {
  it('shows the plan, asks, and deactivates after yes', async () => {
    const session = terminal(['apply', ...targets()]);
    await session.waitFor('[y/N] ');
    expect(deactivated()).toEqual([]);
    session.type('y\r');
    expect(await session.exited).toBe(0);
    const text = plainText(session.screen);
    const plan = text.indexOf('would-deactivate');
    const question = text.indexOf('Deactivate 5 users marked would-deactivate? [y/N]');
    const summary = text.indexOf('5 deactivated');
    expect(plan).toBeGreaterThanOrEqual(0);
    expect(question).toBeGreaterThan(plan);
    expect(summary).toBeGreaterThan(question);
    expect(deactivated()).toHaveLength(5);
    expect(session.screen).toContain(ESC);
  });

  it.each(['n', '', 'maybe'])('changes nothing after %j and exits 1', async (answer) => {
    const session = terminal(['apply', ...targets()]);
    await session.waitFor('[y/N] ');
    session.type(`${answer}\r`);
    expect(await session.exited).toBe(1);
    expect(plainText(session.screen)).toContain('Nothing was changed.');
    expect(deactivated()).toEqual([]);
  });

  it('Ctrl-C at the question is an interruption: nothing changed, exit 130', async () => {
    const session = terminal(['apply', ...targets()]);
    await session.waitFor('[y/N] ');
    session.type(CTRL_C);
    expect(await session.exited).toBe(130);
    const text = plainText(session.screen);
    expect(text).toContain('Nothing was changed.');
    expect(text).toContain('Interrupted');
    expect(deactivated()).toEqual([]);
  });

  it('Ctrl-C while planning: no question, the lookups not yet sent are not sent, exit 130', async () => {
    await simulator.stop();
    // Lookups held back 300 ms each, one at a time: Ctrl-C comes while the first is answered.
    simulator = await startSimulator({
      seed,
      requestsPerMinute: Number.POSITIVE_INFINITY,
      faults: { rates: { slow: 1 }, slowMs: 300, endpoints: ['getUser', 'listUsers'] },
    });
    const session = terminal(['apply', ...targets().slice(0, -2), '--requests-per-minute', '60']);
    // The first lookup waits a second for its turn behind /users/me: type Ctrl-C once /users/me is answered.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (simulator.journal().some((entry) => entry.endpoint === 'getCurrentUser')) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    session.type(CTRL_C);
    expect(await session.exited).toBe(130);
    const text = plainText(session.screen);
    expect(text).not.toContain('[y/N]');
    expect(text).toContain('Nothing was changed');
    expect(simulator.journal().map((entry) => entry.endpoint)).toEqual(['getCurrentUser']);
  });

  it('draws a progress bar on stderr that keeps its count and the Stopping line on a 40-column terminal', async () => {
    await simulator.stop();
    simulator = await startSimulator({
      seed,
      requestsPerMinute: Number.POSITIVE_INFINITY,
      faults: { rates: { slow: 1 }, slowMs: 400, endpoints: ['deactivateUser'] },
    });
    const session = terminal(['apply', '--yes', ...targets().slice(0, -2), '--requests-per-minute', '120'], {
      columns: 40,
    });
    await session.waitFor(/Deactivating .*1\/5/);
    session.type(CTRL_C);
    const stopping = await session.waitFor('Stopping');
    // Another redraw of the bar after the Stopping line, as the change in flight is answered.
    await session.exited;
    const lines = await renderScreen(session.screen, 40);
    // The line survives whole, above the report: neither the bar's redraws nor its clearing took it.
    expect(lines, lines.join('\n')).toContain(
      'Stopping: no new deactivations will be sent; waiting for those in flight. Press Ctrl-C again to quit at once.',
    );
    // Every frame of the bar fits the terminal with its count.
    const frames = plainText(session.screen).match(/Deactivating [^\n\r]*?\d+\/5/g) ?? [];
    expect(frames.length).toBeGreaterThan(1);
    for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(40);
    expect(session.screen.slice(stopping)).toMatch(/Deactivating .*\d\/5/);
  });

  it('no colours with NO_COLOR; no progress bar with --json', async () => {
    const plain = terminal(['apply', '--yes', ...targets()], { env: { NO_COLOR: '1' } });
    expect(await plain.exited).toBe(0);
    expect(plainText(plain.screen)).toContain('5 deactivated');
    expect(plain.screen.replace(/\u001b\[\?25[hl]/g, '').replace(/\u001b\[[0-9]*[GK]/g, '')).not.toContain(
      `${ESC}3`,
    );

    simulator.reset();
    const json = terminal(['apply', '--yes', '--json', ...targets()]);
    expect(await json.exited).toBe(0);
    expect(json.screen).not.toContain('Deactivating');
    expect(JSON.parse(plainText(json.screen)).summary.deactivated).toBe(5);
  });
});

describe('the table on a terminal', () => {
  const long =
    'a long reason that a person wrote into the offboarding file, longer than any terminal line, so that the detail column has to wrap onto the lines below and then be cut';

  async function planWithLongNotes(columns: number) {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'smartsheet-offboard-table-'));
    const file = join(dir, 'leavers.yaml');
    await writeFile(
      file,
      `users:\n${LEAVERS.map((leaver) => `  - id: ${leaver.id}\n    reason: ${long}\n`).join('')}`,
    );
    const session = terminal(['plan', '--file', 'leavers.yaml', '--base-url', simulator.url], {
      columns,
      cwd: dir,
      env: { NO_COLOR: '1' },
    });
    expect(await session.exited).toBe(0);
    return renderScreen(session.screen, columns);
  }

  it.each([
    [200, false],
    [100, true],
  ])('stays a table at %i columns, wrapping the detail within the width', async (columns, cut) => {
    const lines = await planWithLongNotes(columns);
    expect(lines[0]).toMatch(/^OUTCOME +ID +EMAIL +SOURCE +DETAIL$/);
    const rows = lines.filter((line) => line.startsWith('would-deactivate'));
    expect(rows).toHaveLength(5);
    // Continuation lines start under the detail column; nothing ran past the edge and wrapped.
    const detailColumn = lines[0]!.indexOf('DETAIL');
    const continued = lines[lines.indexOf(rows[0]!) + 1]!;
    expect(continued.slice(0, detailColumn).trim()).toBe('');
    expect(continued.slice(detailColumn).length).toBeGreaterThan(0);
    // Cut to three lines only where it needs more, and then it says where the whole text is.
    expect(lines.join('\n').includes('--json prints them whole')).toBe(cut);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(columns);
  });

  it('becomes one block per target on a terminal too narrow for columns', async () => {
    const lines = await planWithLongNotes(40);
    expect(lines.join('\n')).not.toContain('OUTCOME');
    expect(lines.filter((line) => line === 'outcome: would-deactivate')).toHaveLength(5);
  });
});

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, USAGE, UsageError, VERSION } from '../src/cli.js';
import type { Simulator } from '../src/index.js';
import { call } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(args: string[]): Promise<{ sim: Simulator; lines: string[] }> {
  const lines: string[] = [];
  const started = await runCli(args, { out: (line) => lines.push(line) });
  if (!started) throw new Error('runCli started nothing');
  sim = started;
  return { sim: started, lines };
}

describe('smartsheet-simulator (in process)', () => {
  it('serves the shipped example org by default and prints its URL', async () => {
    const { sim, lines } = await start(['--port', '0']);
    expect(lines[0]).toBe(`Smartsheet simulator listening on ${sim.url} (3020 users, examples/org.yaml)`);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/2\.0$/);
    const me = await call(sim, 'GET', '/users/me', 'demo-admin-token');
    expect(me.json.email).toBe('ada.admin@example.com');
  });

  it('takes --seed, --rpm, --time-scale and --retry-after', async () => {
    const seed = fileURLToPath(new URL('../examples/org.yaml', import.meta.url));
    const { sim } = await start([
      '--port',
      '0',
      '--seed',
      seed,
      '--rpm',
      '2',
      '--time-scale',
      '100',
      '--retry-after',
      '3',
    ]);
    expect(sim.state().rateLimit).toEqual({ requestsPerMinute: 2, timeScale: 100, windowMs: 600 });
    await call(sim, 'GET', '/users/me', 'demo-admin-token');
    await call(sim, 'GET', '/users/me', 'demo-admin-token');
    const limited = await call(sim, 'GET', '/users/me', 'demo-admin-token');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
  });

  it('takes --fault KIND=RATE and logs each request without the token', async () => {
    const { sim, lines } = await start(['--port', '0', '--fault', '4001=1', '--log']);
    const result = await call(sim, 'GET', '/users/me', 'demo-admin-token');
    expect(result.status).toBe(503);
    expect(lines[1]).toMatch(/^GET \/2\.0\/users\/me → 503\/4001 \(4001\) \d+\.\d ms$/);
    expect(lines.join('\n')).not.toContain('demo-admin-token');
  });

  it('prints the help', async () => {
    const lines: string[] = [];
    expect(await runCli(['--help'], { out: (line) => lines.push(line) })).toBeUndefined();
    expect(lines).toEqual([USAGE]);
  });

  it.each([
    [['--port', 'eighty'], /Invalid --port "eighty": a port from 0 to 65535/],
    [['--rpm', '0'], /Invalid --rpm "0"/],
    [['--time-scale=-1'], /Invalid --time-scale "-1"/],
    [['--fault', 'boom=0.1'], /Invalid --fault "boom=0.1": KIND=RATE/],
    [['--fault', '4004=2'], /Invalid --fault "2": a rate from 0 to 1/],
    [['--retry-after', 'soon'], /Invalid --retry-after "soon"/],
    [['--colour'], /Unknown option '--colour'/],
  ])('refuses %j with a message naming the option', async (args, message) => {
    const attempt = runCli(args, { out: () => {} });
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
  });

  it('names the seed file problem in words, not as a raw ENOENT', async () => {
    const attempt = runCli(['--port', '0', '--seed', 'no-such-org.yaml'], { out: () => {} });
    await expect(attempt).rejects.toThrow(
      'Cannot read --seed "no-such-org.yaml": no such file. Allowed: a readable YAML or JSON organisation file.',
    );
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
  });

  it('says a port in use is in use, and how to choose another', async () => {
    const { sim: first } = await start(['--port', '0']);
    const port = new URL(first.url).port;
    const attempt = runCli(['--port', port], { out: () => {} });
    await expect(attempt).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use`);
    await expect(attempt).rejects.toThrow('--port 0 for any free port');
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
  });

  it.each(['--version', '-v'])('%s prints the version', async (flag) => {
    const lines: string[] = [];
    expect(await runCli([flag], { out: (line) => lines.push(line) })).toBeUndefined();
    expect(lines).toEqual([VERSION]);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('smartsheet-simulator (the built bin, as a process)', () => {
  const bin = fileURLToPath(new URL('../lib/bin.js', import.meta.url));

  it('starts, answers, and stops on SIGTERM with exit code 0', async () => {
    expect(existsSync(bin), 'build the package first: lib/bin.js is missing').toBe(true);
    const child = spawn(process.execPath, [bin, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (\S+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${output}`)));
      });
      const response = await fetch(`${url}/users/me`, {
        headers: { authorization: 'Bearer demo-admin-token' },
      });
      expect(response.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 2 on a usage error', async () => {
    const child = spawn(process.execPath, [bin, '--rpm', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('Invalid --rpm "x"');
  });
});

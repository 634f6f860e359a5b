import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@smartsheet-offboard/simulator';
import { runCli } from '@smartsheet-offboard/testkit/processes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'cli-leave-dates-token-41d0c2e8';
const ADMIN = { id: '1000000000000001', email: 'it.admin@example.com' };
const LEAVER = { id: '4583173393803140', email: 'leaver@example.com' };
const GONE_TODAY = { id: '4583173393803141', email: 'gone.today@example.com' };

const simulator = await startSimulator({
  requestsPerMinute: Number.POSITIVE_INFINITY,
  seed: { tokens: { [TOKEN]: ADMIN.id }, users: [{ ...ADMIN, admin: true }, LEAVER, GONE_TODAY] },
});
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smartsheet-offboard-cli-dates-'));
});
afterAll(async () => {
  await simulator.stop();
  await rm(dir, { recursive: true, force: true });
});

// The CLI reads the clock: a date a month from now is not due, yesterday is.
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('leave dates on the command line', () => {
  it('plan and apply show scheduled with the date, deactivate only what is due, and exit 0', async () => {
    const path = join(dir, 'leavers.yaml');
    await writeFile(
      path,
      `users:\n  - email: ${LEAVER.email}\n    deactivate-on: ${day(30)}\n  - email: ${GONE_TODAY.email}\n    deactivate-on: ${day(-1)}\n`,
    );
    const env = { SMARTSHEET_ACCESS_TOKEN: TOKEN };
    const plan = await runCli(['plan', '--file', path, '--base-url', simulator.url], { env });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(
      new RegExp(`scheduled\\s+${LEAVER.id}.*Not due yet: deactivated once ${day(30)} \\(00:00 UTC\\)`),
    );
    expect(plan.stdout).toContain('plan: 1 would-deactivate, 1 scheduled, 0 already-deactivated');

    const apply = await runCli(['apply', '--yes', '--json', '--file', path, '--base-url', simulator.url], {
      env,
    });
    expect(apply.code).toBe(0);
    const report = JSON.parse(apply.stdout);
    expect(report.summary).toMatchObject({ deactivated: 1, scheduled: 1 });
    expect(report.results[0]).toMatchObject({ id: LEAVER.id, outcome: 'scheduled', deactivateOn: day(30) });
    expect(simulator.user(LEAVER.id)?.status).toBe('ACTIVE');
    expect(simulator.user(GONE_TODAY.id)?.status).toBe('DEACTIVATED');
  });

  it('validate refuses a date-time without an offset with file:line, exit 2', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, `users:\n  - email: ${LEAVER.email}\n    deactivate-on: ${day(3)}T09:00:00\n`);
    const run = await runCli(['validate', path]);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/bad\.yaml:2 invalid-date .*has no offset/);
  });
});

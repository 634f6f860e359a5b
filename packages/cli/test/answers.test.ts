import { ERRORS, type Seed, type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { runCli } from '@smartsheet-offboard/testkit/processes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// What Smartsheet says reaches the person once, with what to do, and plan and apply agree.

const TOKEN = 'cli-answers-token-8f2b6d1c3a';
const ADMIN = { id: '1000000000000001', email: 'it.admin@example.com' };
const GUEST = { id: '2000000000000021', email: 'guest@example.com' };
const OKTA = { id: '2000000000000022', email: 'okta.user@example.com' };
const SAM = { id: '2000000000000023', email: 'sam@example.com' };

const seed: Seed = {
  planDomains: ['example.com'],
  tokens: { [TOKEN]: ADMIN.id },
  users: [{ ...ADMIN, admin: true }, { ...GUEST, external: true }, { ...OKTA, directoryManaged: true }, SAM],
};

let simulator: Simulator;
const cli = (args: string[]) =>
  runCli([...args, '--base-url', simulator.url, '--json'], { env: { SMARTSHEET_ACCESS_TOKEN: TOKEN } });
const deactivations = () => simulator.journal().filter((entry) => entry.endpoint === 'deactivateUser');

beforeEach(async () => {
  simulator = await startSimulator({ seed, requestsPerMinute: Number.POSITIVE_INFINITY });
});

afterEach(async () => {
  await simulator.stop();
});

describe('plan and apply agree', () => {
  it('a user Smartsheet lists with isInternal: false is blocked as external-user at plan, and never sent', async () => {
    const plan = JSON.parse((await cli(['plan', '--email', GUEST.email])).stdout);
    expect(
      plan.results.map((result: { outcome: string; reason: string }) => [result.outcome, result.reason]),
    ).toEqual([['blocked', 'external-user']]);
    const apply = await cli(['apply', '--yes', '--email', GUEST.email]);
    expect(apply.code).toBe(1);
    expect(JSON.parse(apply.stdout).results[0]).toMatchObject({
      outcome: 'blocked',
      reason: 'external-user',
    });
    expect(deactivations()).toEqual([]);
  });
});

describe("Smartsheet's words, then what to do, each once", () => {
  /** A run of three words the remedy takes from Smartsheet's text: the same thing said twice. */
  const sharedPhrase = (said: string, remedy: string) => {
    const phrases = (text: string) => {
      const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
      return words.slice(0, -2).map((_, index) => words.slice(index, index + 3).join(' '));
    };
    const fromSmartsheet = new Set(phrases(said));
    return phrases(remedy).find((phrase) => fromSmartsheet.has(phrase));
  };

  it('directory-managed (5697) and not a member (1335)', async () => {
    simulator.failNext({
      fault: 'answer',
      answer: ERRORS.deactivateNotMember,
      endpoint: 'deactivateUser',
      userId: SAM.id,
    });
    const run = await cli(['apply', '--yes', '--email', OKTA.email, '--email', SAM.email]);
    const results = JSON.parse(run.stdout).results as { reason: string; message: string }[];
    expect(results.map((result) => result.reason)).toEqual(['directory-managed', 'not-member']);
    const said = [ERRORS.deactivateDirectoryManaged.message, ERRORS.deactivateNotMember.message];
    results.forEach(({ message }, index) => {
      const [, remedy] = message.split(said[index]!);
      expect(remedy?.trim().length, message).toBeGreaterThan(10);
      expect(sharedPhrase(said[index]!, remedy!), message).toBeUndefined();
    });
  });
});

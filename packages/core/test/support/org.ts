import { type Seed, type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { CALLER, CALLER_USER } from '@smartsheet-offboard/testkit/orgs';
import { afterAll } from 'vitest';
import { type ClientOptions, createClient, type UsersApi } from '../../src/client.js';
import type { Target } from '../../src/types.js';

/** Tokens are secrets even in tests: reports and errors must never show them. */
export const ADMIN_TOKEN = 'sim-admin-token-7f3a9c2e';
export const MEMBER_TOKEN = 'sim-member-token-1b8d4e60';

/** Every case a plan or an apply can meet, one user each; the plan's domains are example.com. */
export const PEOPLE = {
  jane: { id: '4583173393803140', email: 'jane.doe@example.com' },
  /** Above 2^53: `Number` would turn it into 48569348493401200, another person. */
  big: { id: '48569348493401201', email: 'big.id@example.com' },
  isp: { id: '2000000000000001', email: 'joe@gmail.com' },
  outside: { id: '2000000000000002', email: 'sam@partner.org' },
  directory: { id: '2000000000000003', email: 'okta.managed@example.com' },
  external: { id: '2000000000000004', email: 'external@example.com' },
  notMember: { id: '2000000000000005', email: 'not.member@example.com' },
  otherAdmin: { id: '2000000000000006', email: 'other.admin@example.com' },
  groupAdmin: { id: '2000000000000007', email: 'group.admin@example.com' },
  protectedUser: { id: '2000000000000008', email: 'ceo@example.com' },
  gone: { id: '2000000000000009', email: 'gone@example.com' },
  pending: { id: '2000000000000010', email: 'invited@example.com' },
  bob: { id: '2000000000000011', email: 'bob@example.com' },
} as const;

export function everyCaseSeed(): Seed {
  return {
    planDomains: ['example.com'],
    tokens: { [ADMIN_TOKEN]: CALLER.id, [MEMBER_TOKEN]: PEOPLE.bob.id },
    users: [
      CALLER_USER,
      PEOPLE.jane,
      PEOPLE.big,
      PEOPLE.isp,
      PEOPLE.outside,
      { ...PEOPLE.directory, directoryManaged: true },
      { ...PEOPLE.external, external: true },
      { ...PEOPLE.notMember, member: false },
      { ...PEOPLE.otherAdmin, admin: true },
      { ...PEOPLE.groupAdmin, groupAdmin: true },
      PEOPLE.protectedUser,
      { ...PEOPLE.gone, status: 'DEACTIVATED' },
      { ...PEOPLE.pending, status: 'PENDING' },
      PEOPLE.bob,
    ],
  };
}

/** A simulator for the file's tests, stopped after them; fast: no rate limit unless asked. */
export async function useSimulator(
  seed: Seed,
  options: { requestsPerMinute?: number } = {},
): Promise<Simulator> {
  const simulator = await startSimulator({ seed, requestsPerMinute: options.requestsPerMinute ?? Infinity });
  afterAll(() => simulator.stop());
  return simulator;
}

/** A real client over HTTP to the simulator, with short backoff so retries cost milliseconds. */
export function connection(simulator: Simulator, overrides: Partial<ClientOptions> = {}): ClientOptions {
  return {
    token: ADMIN_TOKEN,
    baseUrl: simulator.url,
    requestsPerMinute: 60_000,
    retryBaseDelayMs: 5,
    maxRetryTimeMs: 5_000,
    ...overrides,
  };
}

export function connect(simulator: Simulator, overrides: Partial<ClientOptions> = {}): UsersApi {
  return createClient(connection(simulator, overrides));
}

export function byId(id: string, line = 1): Target {
  return { id, given: id, source: { file: 'offboarding/test.yaml', line } };
}

export function byEmail(email: string, line = 1): Target {
  return { email, given: email, source: { file: 'offboarding/test.yaml', line } };
}

import { parse, parseNumberAndBigInt } from 'lossless-json';
import type { Seed, Simulator, SimulatorOptions } from '../src/index.js';
import { startSimulator } from '../src/index.js';

export const ADMIN_TOKEN = 'admin-token-1001';
export const SECOND_ADMIN_TOKEN = 'admin-token-1012';
export const USER_TOKEN = 'user-token-1002';
export const EXPIRED_TOKEN = 'expired-token-1001';

/** The simulator's clock in these tests: fixed, so deactivation windows are exact. */
export const NOW = Date.parse('2026-11-26T12:00:00Z');
const DAY_MS = 86_400_000;

export const BIG_ID = '48569348493401200';
/** 2^53 + 1: the first integer a JavaScript number cannot hold. */
export const UNSAFE_ID = '9007199254740993';

export const IDS = {
  admin: '1001',
  plain: '1002',
  carol: '1003',
  isp: '1004',
  directory: '1005',
  external: '1006',
  notMember: '1007',
  otherDomain: '1008',
  deactivatedRecently: '1009',
  deactivatedLongAgo: '1010',
  pending: '1011',
  secondAdmin: '1012',
  groupAdmin: '1013',
  big: BIG_ID,
  unsafe: UNSAFE_ID,
} as const;

export function testSeed(): Seed {
  return {
    account: { id: '8000000000000001', name: 'Example Org' },
    planDomains: ['example.com'],
    tokens: {
      [ADMIN_TOKEN]: IDS.admin,
      [SECOND_ADMIN_TOKEN]: { userId: IDS.secondAdmin },
      [USER_TOKEN]: IDS.plain,
      [EXPIRED_TOKEN]: { userId: IDS.admin, expired: true },
    },
    users: [
      { id: IDS.admin, email: 'alice.admin@example.com', name: 'Alice Admin', admin: true },
      { id: IDS.plain, email: 'bob@example.com', firstName: 'Bob', lastName: 'Plain' },
      { id: IDS.carol, email: 'Carol.Case@Example.com', name: 'Carol Case' },
      { id: IDS.isp, email: 'dave@gmail.com', name: 'Dave Isp' },
      { id: IDS.directory, email: 'erin@example.com', name: 'Erin Directory', directoryManaged: true },
      { id: IDS.external, email: 'frank@example.com', name: 'Frank External', external: true },
      { id: IDS.notMember, email: 'grace@example.com', name: 'Grace Guest', member: false },
      { id: IDS.otherDomain, email: 'heidi@other.org', name: 'Heidi Other' },
      {
        id: IDS.deactivatedRecently,
        email: 'ivan@example.com',
        name: 'Ivan Recent',
        status: 'DEACTIVATED',
        deactivatedAt: new Date(NOW - 10 * DAY_MS).toISOString(),
      },
      {
        id: IDS.deactivatedLongAgo,
        email: 'judy@example.com',
        name: 'Judy Gone',
        status: 'DEACTIVATED',
        deactivatedAt: NOW - 31 * DAY_MS,
      },
      { id: IDS.pending, email: 'pending@example.com', name: 'Pat Pending', status: 'PENDING' },
      { id: IDS.secondAdmin, email: 'mallory.admin@example.com', name: 'Mallory Admin', admin: true },
      { id: IDS.groupAdmin, email: 'gus@example.com', name: 'Gus Group', groupAdmin: true },
      { id: BigInt(BIG_ID), email: 'big.id@example.com', name: 'Big Id' },
      { id: UNSAFE_ID, email: 'unsafe.id@example.com', name: 'Unsafe Id' },
    ],
  };
}

/** Starts a simulator on the test seed with a fixed clock; merge `options` over it. */
export function startTestSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: testSeed(), now: () => NOW, ...options });
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The body as `JSON.parse` sees it (IDs above 2^53 rounded: for shapes only). */
  // biome-ignore lint/suspicious/noExplicitAny: a response body; the assertions that read it check its shape
  json: any;
  /** The body with integers above 2^53 as bigints: for exact IDs. */
  // biome-ignore lint/suspicious/noExplicitAny: as above
  exact: any;
}

/** One real HTTP request to the simulator. */
export async function call(
  sim: Simulator,
  method: string,
  path: string,
  token?: string,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  const response = await fetch(sim.url + path, {
    method,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
  });
  const text = await response.text();
  const isJson = text.startsWith('{') || text.startsWith('[');
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: isJson ? JSON.parse(text) : undefined,
    exact: isJson ? parse(text, null, parseNumberAndBigInt) : undefined,
  };
}

export function expectError(result: CallResult, status: number, errorCode: number): void {
  if (result.status !== status || result.json?.errorCode !== errorCode) {
    throw new Error(`expected ${status}/${errorCode}, got ${result.status} ${result.text}`);
  }
  if (typeof result.json.message !== 'string' || typeof result.json.refId !== 'string') {
    throw new Error(`error body lacks message or refId: ${result.text}`);
  }
  const keys = Object.keys(result.json).sort().join(',');
  if (keys !== 'errorCode,message,refId') throw new Error(`unexpected error body keys: ${keys}`);
}

import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import {
  type AlreadyDoneBehaviour,
  type Org,
  type Seed,
  USER_STATUSES,
  type UserRecord,
  type UserStatus,
} from './seed-format.js';

/** A seed that cannot be used; the message names the field, the value and what is allowed. */
export class SeedError extends Error {
  override name = 'SeedError';
}

const MAX_ID = 2n ** 63n - 1n;

function fail(path: string, value: unknown, allowed: string): never {
  const shown = typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
  throw new SeedError(`Invalid seed ${path} ${shown}: ${allowed}`);
}

function checkKeys(value: object, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      fail(`${path}.${key}`, key, `unknown key; allowed keys: ${allowed.join(', ')}`);
  }
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, value, 'a mapping');
  return value as Record<string, unknown>;
}

/** Canonical decimal string of a user ID; rejects anything that is not an exact positive 64-bit integer. */
function canonicalId(value: unknown, path: string): string {
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      fail(
        path,
        value,
        'an integer up to 2^53 as a number; write larger IDs as strings (or bare YAML integers)',
      );
    }
    big = BigInt(value);
  } else if (typeof value === 'string' && /^\d{1,20}$/.test(value)) big = BigInt(value);
  else return fail(path, value, 'a decimal user ID (digits only)');
  if (big < 1n || big > MAX_ID) fail(path, big, 'a user ID between 1 and 2^63-1');
  return big.toString();
}

function optionalBoolean(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(path, value, 'true or false');
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(path, value, 'a string');
  return value;
}

function wholeNumber(value: unknown, path: string, min: number): number {
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < min) {
    fail(path, value, `an integer of at least ${min}`);
  }
  return number;
}

function status(value: unknown, path: string): UserStatus {
  if (value === undefined) return 'ACTIVE';
  if (!USER_STATUSES.includes(value as UserStatus)) fail(path, value, `one of ${USER_STATUSES.join(', ')}`);
  return value as UserStatus;
}

function email(value: unknown, path: string): string {
  if (typeof value !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    fail(path, value, 'an email address like jane.doe@example.com');
  }
  return value;
}

function timestamp(value: unknown, path: string): number {
  const time =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value
        : typeof value === 'string'
          ? Date.parse(value)
          : Number.NaN;
  if (!Number.isFinite(time)) fail(path, value, 'an ISO 8601 timestamp such as 2026-11-01T09:00:00Z');
  return time;
}

function behaviour(value: unknown, path: string): AlreadyDoneBehaviour {
  if (value === undefined) return 'error';
  if (value !== 'succeed' && value !== 'error') fail(path, value, "'succeed' or 'error'");
  return value;
}

function domainList(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, value, 'a list of domains');
  return value.map((domain, index) => {
    if (typeof domain !== 'string' || !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(domain)) {
      fail(`${path}[${index}]`, domain, 'a domain such as example.com');
    }
    return domain.toLowerCase();
  });
}

const USER_KEYS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'name',
  'status',
  'admin',
  'groupAdmin',
  'licensedSheetCreator',
  'resourceViewer',
  'directoryManaged',
  'external',
  'member',
  'childOrganization',
  'wire',
  'deactivatedAt',
  'deactivatedDaysAgo',
] as const;

function seedUser(raw: unknown, path: string, startedAt: number): UserRecord {
  const user = asObject(raw, path);
  checkKeys(user, USER_KEYS, path);
  const name = optionalString(user.name, `${path}.name`);
  // A seed may give only `name`: split it the way a person would read it.
  const [givenFirst = '', ...givenLast] = (name ?? '').split(' ');
  const firstName = optionalString(user.firstName, `${path}.firstName`) ?? givenFirst;
  const lastName = optionalString(user.lastName, `${path}.lastName`) ?? givenLast.join(' ');
  const userStatus = status(user.status, `${path}.status`);
  const record: UserRecord = {
    id: canonicalId(user.id, `${path}.id`),
    email: email(user.email, `${path}.email`),
    firstName,
    lastName,
    name: name ?? `${firstName} ${lastName}`.trim(),
    status: userStatus,
    admin: optionalBoolean(user.admin, `${path}.admin`, false),
    groupAdmin: optionalBoolean(user.groupAdmin, `${path}.groupAdmin`, false),
    licensedSheetCreator: optionalBoolean(user.licensedSheetCreator, `${path}.licensedSheetCreator`, true),
    resourceViewer: optionalBoolean(user.resourceViewer, `${path}.resourceViewer`, false),
    directoryManaged: optionalBoolean(user.directoryManaged, `${path}.directoryManaged`, false),
    external: optionalBoolean(user.external, `${path}.external`, false),
    member: optionalBoolean(user.member, `${path}.member`, true),
  };
  if (optionalBoolean(user.childOrganization, `${path}.childOrganization`, false)) {
    record.childOrganization = true;
  }
  if (user.wire !== undefined) record.wire = { ...asObject(user.wire, `${path}.wire`) };
  if (user.deactivatedAt !== undefined && user.deactivatedDaysAgo !== undefined) {
    fail(`${path}.deactivatedDaysAgo`, user.deactivatedDaysAgo, 'left out when deactivatedAt is given');
  }
  if (user.deactivatedAt !== undefined) {
    record.deactivatedAt = timestamp(user.deactivatedAt, `${path}.deactivatedAt`);
  } else if (user.deactivatedDaysAgo !== undefined) {
    const days = wholeNumber(user.deactivatedDaysAgo, `${path}.deactivatedDaysAgo`, 0);
    record.deactivatedAt = startedAt - days * 86_400_000;
  } else if (userStatus === 'DEACTIVATED') {
    record.deactivatedAt = startedAt;
  }
  return record;
}

const GENERATED_KEYS = ['count', 'domain', 'idStart', 'idStep', 'emailPrefix', 'status'] as const;

function generatedUsers(raw: unknown, path: string, defaultDomain: string, startedAt: number): UserRecord[] {
  const spec = asObject(raw, path);
  checkKeys(spec, GENERATED_KEYS, path);
  const count = wholeNumber(spec.count, `${path}.count`, 0);
  const domain = domainList([spec.domain ?? defaultDomain], `${path}.domain`)[0]!;
  const start = BigInt(canonicalId(spec.idStart, `${path}.idStart`));
  const step = BigInt(spec.idStep === undefined ? 1 : wholeNumber(spec.idStep, `${path}.idStep`, 1));
  const prefix = optionalString(spec.emailPrefix, `${path}.emailPrefix`) ?? 'user';
  const userStatus = status(spec.status, `${path}.status`);
  const last = start + step * BigInt(Math.max(count - 1, 0));
  if (last > MAX_ID)
    fail(`${path}.count`, count, 'few enough users that every generated ID stays below 2^63');
  const width = String(count).length;
  const users: UserRecord[] = new Array(count);
  let id = start;
  for (let index = 0; index < count; index++, id += step) {
    const number = String(index + 1).padStart(width, '0');
    const lastName = `User ${number}`;
    users[index] = {
      id: id.toString(),
      email: `${prefix}${number}@${domain}`,
      firstName: 'Generated',
      lastName,
      name: `Generated ${lastName}`,
      status: userStatus,
      admin: false,
      groupAdmin: false,
      licensedSheetCreator: true,
      resourceViewer: false,
      directoryManaged: false,
      external: false,
      member: true,
      ...(userStatus === 'DEACTIVATED' ? { deactivatedAt: startedAt } : {}),
    };
  }
  return users;
}

const SEED_KEYS = ['account', 'planDomains', 'gov', 'settings', 'tokens', 'users', 'generated'] as const;
const SETTINGS_KEYS = [
  'alreadyDeactivated',
  'alreadyActive',
  'reactivationWindowDays',
  'extraIspDomains',
] as const;

/**
 * Checks a seed and turns it into the simulator's initial state. Throws `SeedError` naming the
 * first bad field. `startedAt` (epoch ms) stands in for unknown deactivation times.
 */
export function buildOrg(input: Seed, startedAt: number, ispDomains: readonly string[]): Org {
  const seed = asObject(input, 'root');
  checkKeys(seed, SEED_KEYS, 'root');
  const planDomains = domainList(seed.planDomains, 'planDomains');
  const settings = asObject(seed.settings ?? {}, 'settings');
  checkKeys(settings, SETTINGS_KEYS, 'settings');

  if (seed.users !== undefined && !Array.isArray(seed.users)) fail('users', seed.users, 'a list of users');
  const users = ((seed.users as unknown[] | undefined) ?? []).map((user, index) =>
    seedUser(user, `users[${index}]`, startedAt),
  );
  const generatedSpecs = seed.generated === undefined ? [] : [seed.generated].flat();
  generatedSpecs.forEach((spec, index) => {
    const generated = generatedUsers(spec, `generated[${index}]`, planDomains[0] ?? 'example.com', startedAt);
    for (const user of generated) users.push(user);
  });

  const ids = new Set<string>();
  const emails = new Set<string>();
  for (const user of users) {
    if (ids.has(user.id)) fail('users.id', user.id, 'each user ID at most once');
    if (emails.has(user.email.toLowerCase())) fail('users.email', user.email, 'each email at most once');
    ids.add(user.id);
    emails.add(user.email.toLowerCase());
  }

  const tokens = new Map<string, { userId: string; expired: boolean }>();
  for (const [token, raw] of Object.entries(asObject(seed.tokens ?? {}, 'tokens'))) {
    // The token itself is a secret: paths name it by position, never by value.
    const path = `tokens[#${tokens.size + 1}]`;
    const entry = typeof raw === 'object' && raw !== null ? asObject(raw, path) : { userId: raw };
    checkKeys(entry, ['userId', 'expired'], path);
    const userId = canonicalId(entry.userId, `${path}.userId`);
    if (!ids.has(userId)) fail(`${path}.userId`, userId, 'the ID of a user in the seed');
    if (token.length === 0 || /\s/.test(token)) fail(path, '(hidden)', 'a token without spaces');
    tokens.set(token, { userId, expired: optionalBoolean(entry.expired, `${path}.expired`, false) });
  }

  const accountRaw = seed.account === undefined ? undefined : asObject(seed.account, 'account');
  if (accountRaw) checkKeys(accountRaw, ['id', 'name'], 'account');
  return {
    account: {
      id: accountRaw ? canonicalId(accountRaw.id, 'account.id') : '122454719915908',
      name: (accountRaw && optionalString(accountRaw.name, 'account.name')) ?? 'Simulated Org',
    },
    planDomains,
    gov: optionalBoolean(seed.gov, 'gov', false),
    settings: {
      alreadyDeactivated: behaviour(settings.alreadyDeactivated, 'settings.alreadyDeactivated'),
      alreadyActive: behaviour(settings.alreadyActive, 'settings.alreadyActive'),
      reactivationWindowDays:
        settings.reactivationWindowDays === undefined
          ? 30
          : wholeNumber(settings.reactivationWindowDays, 'settings.reactivationWindowDays', 0),
      ispDomains: new Set([
        ...ispDomains,
        ...domainList(settings.extraIspDomains, 'settings.extraIspDomains'),
      ]),
    },
    tokens,
    users,
  };
}

/** Parses a seed written in YAML (or JSON, a subset), reading integers exactly (IDs above 2^53). */
export function parseSeed(text: string): Seed {
  const value: unknown = parseYaml(text, { intAsBigInt: true });
  return asObject(value ?? {}, 'root') as unknown as Seed;
}

/** Reads a seed file (YAML or JSON). The result is checked when the simulator starts. */
export async function loadSeed(path: string): Promise<Seed> {
  return parseSeed(await readFile(path, 'utf8'));
}

import type { UsersApi, UsersPage } from './client.js';
import { emailKey, emailSpellings } from './emails.js';
import { MAX_PAGE_SIZE } from './endpoints.js';
import { SmartsheetApiError } from './errors.js';
import type { SmartsheetUser, Target, UserId } from './types.js';

/** What one target turned out to be in Smartsheet, before any rule is applied. */
export type Resolution =
  /** A user as the list endpoint shows it, with its `status`. */
  | { kind: 'found'; user: SmartsheetUser }
  | { kind: 'not-found' }
  /** The target's ID and email name two different people (or the ID names nobody with that email). */
  | { kind: 'id-email-mismatch'; message: string }
  /** `GET /users/{id}` knows the user but the organisation's user list does not: its status is unknowable. */
  | { kind: 'unlisted'; profile: SmartsheetUser }
  /** The list holds the ID but gives it no email: the email rules cannot be checked. */
  | { kind: 'listed-without-email'; id: UserId };

/** What resolving found, and the listed users it had to leave aside. */
export interface Resolved {
  resolutions: Map<Target, Resolution>;
  /** IDs the user list gave without an email, in the order met. */
  withoutEmail: UserId[];
}

/**
 * Emails per `GET /users?email=` request. Smartsheet documents no limit; these keep the URL far below the
 * 8 KiB that proxies commonly accept.
 */
export const EMAIL_BATCH_LIMITS = { maxEmails: 50, maxQueryChars: 1500 } as const;

/** Users found so far, indexed by ID and by normalised email. */
export class Directory {
  readonly byId = new Map<UserId, SmartsheetUser>();
  readonly byEmail = new Map<string, SmartsheetUser>();
  /** Listed without an email: they count as listed, but can match no email. */
  readonly withoutEmail = new Set<UserId>();

  constructor(users: Iterable<SmartsheetUser> = []) {
    this.add(users);
  }

  add(users: Iterable<SmartsheetUser>): void {
    for (const user of users) {
      this.byId.set(user.id, user);
      this.byEmail.set(emailKey(user.email), user);
    }
  }

  addPage(page: UsersPage): void {
    this.add(page.data);
    for (const id of page.withoutEmail ?? []) this.withoutEmail.add(id);
  }

  /** Distinct users listed so far, with or without an email. */
  get size(): number {
    let size = this.byId.size;
    for (const id of this.withoutEmail) if (!this.byId.has(id)) size++;
    return size;
  }
}

/** Splits emails into `GET /users?email=` batches bounded by count and by encoded query length. */
export function emailBatches(
  emails: readonly string[],
  limits: { maxEmails: number; maxQueryChars: number } = EMAIL_BATCH_LIMITS,
): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let chars = 0;
  for (const email of emails) {
    // The separating comma may be encoded as %2C: count three characters for it.
    const cost = encodeURIComponent(email).length + 3;
    if (batch.length > 0 && (batch.length >= limits.maxEmails || chars + cost > limits.maxQueryChars)) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(email);
    chars += cost;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Decides one target against what is known, once its email (if any) has been looked up: an email missing
 * from the directory then names nobody. Returns `undefined` when a request is still needed
 * (`GET /users/{id}` for an ID the directory does not hold); `profiles` holds those answers (`null`: 404).
 */
export function matchTarget(
  target: Target,
  directory: Directory,
  profiles: ReadonlyMap<UserId, SmartsheetUser | null>,
): Resolution | undefined {
  if (target.email !== undefined) {
    const user = directory.byEmail.get(target.email);
    if (user !== undefined) {
      if (target.id !== undefined && target.id !== user.id) {
        return {
          kind: 'id-email-mismatch',
          message: `${target.email} belongs to the Smartsheet user with ID ${user.id}, not ${target.id}: fix the entry so that both name the same person.`,
        };
      }
      return { kind: 'found', user };
    }
    if (target.id === undefined) return { kind: 'not-found' };
  }
  const id = target.id!;
  const listed = directory.byId.get(id);
  if (listed !== undefined) {
    // Only reachable with an email that the directory does not hold under this ID.
    return target.email === undefined ? { kind: 'found', user: listed } : mismatch(target, listed.email);
  }
  if (directory.withoutEmail.has(id)) return { kind: 'listed-without-email', id };
  if (!profiles.has(id)) return undefined;
  const profile = profiles.get(id);
  if (profile === null || profile === undefined) return { kind: 'not-found' };
  if (target.email !== undefined && emailKey(profile.email) !== target.email)
    return mismatch(target, profile.email);
  return { kind: 'unlisted', profile };
}

function mismatch(target: Target, actualEmail: string): Resolution {
  return {
    kind: 'id-email-mismatch',
    message: `The Smartsheet user with ID ${target.id} has the email ${actualEmail}, not ${target.email}: fix the entry so that both name the same person.`,
  };
}

/**
 * Resolves targets in as few requests as it can: batched email filters and `GET /users/{id}` for bare IDs,
 * or paging the whole user list when the first page shows that paging costs no more.
 */
export async function resolveTargets(api: UsersApi, targets: readonly Target[]): Promise<Resolved> {
  const directory = new Directory();
  const profiles = new Map<UserId, SmartsheetUser | null>();

  if (targetedCost(targets, directory) > 1) {
    const first = await api.listUsers({ page: 1, pageSize: MAX_PAGE_SIZE });
    directory.addPage(first);
    // The first page tells how many pages remain: page on when that costs no more than targeted lookups.
    const remainingPages = first.totalPages - 1;
    const pageOn = remainingPages > 0 && remainingPages <= targetedCost(targets, directory);
    const rest = pageOn ? await fetchPages(api, 2, first.totalPages, directory) : [];
    if ((remainingPages <= 0 || pageOn) && listedEveryone([first, ...rest], directory)) {
      // Every listed user is known: an email that is not here names nobody in the organisation.
      await fetchProfiles(api, unresolvedIds(targets, directory, profiles), profiles);
      return {
        resolutions: matchAll(targets, directory, profiles),
        withoutEmail: [...directory.withoutEmail],
      };
    }
    // Otherwise the targets not found yet are looked up one by one below: what was read still counts.
  }

  await fetchProfiles(api, idsWithoutEmail(targets, directory), profiles);
  const wanted = unlistedEmails(targets, directory);
  for (const profile of profiles.values()) {
    if (profile !== null && !directory.byId.has(profile.id)) wanted.add(emailKey(profile.email));
  }
  await Promise.all(
    emailBatches([...wanted].flatMap(emailSpellings)).map((batch) => listAllPages(api, batch, directory)),
  );
  // IDs given with an email that no listed user has: ask who the ID is, to tell "not found" from "mismatch".
  await fetchProfiles(api, unresolvedIds(targets, directory, profiles), profiles);
  return { resolutions: matchAll(targets, directory, profiles), withoutEmail: [...directory.withoutEmail] };
}

function matchAll(
  targets: readonly Target[],
  directory: Directory,
  profiles: ReadonlyMap<UserId, SmartsheetUser | null>,
): Map<Target, Resolution> {
  const resolutions = new Map<Target, Resolution>();
  for (const target of targets) {
    const resolution = matchTarget(target, directory, profiles);
    if (resolution === undefined) throw new Error(`internal error: target ${target.given} left unresolved`);
    resolutions.set(target, resolution);
  }
  return resolutions;
}

/** Requests a targeted lookup would still need: email batches plus, per bare ID, a profile and a status. */
function targetedCost(targets: readonly Target[], directory: Directory): number {
  const emailRequests = emailBatches([...unlistedEmails(targets, directory)].flatMap(emailSpellings)).length;
  const ids = idsWithoutEmail(targets, directory).length;
  return emailRequests + ids + Math.ceil(ids / EMAIL_BATCH_LIMITS.maxEmails);
}

function unlistedEmails(targets: readonly Target[], directory: Directory): Set<string> {
  const emails = new Set<string>();
  for (const target of targets) {
    if (target.email !== undefined && !directory.byEmail.has(target.email)) emails.add(target.email);
  }
  return emails;
}

function idsWithoutEmail(targets: readonly Target[], directory: Directory): UserId[] {
  const ids = new Set<UserId>();
  for (const target of targets) {
    const { id } = target;
    if (
      target.email === undefined &&
      id !== undefined &&
      !directory.byId.has(id) &&
      !directory.withoutEmail.has(id)
    ) {
      ids.add(id);
    }
  }
  return [...ids];
}

function unresolvedIds(
  targets: readonly Target[],
  directory: Directory,
  profiles: ReadonlyMap<UserId, SmartsheetUser | null>,
): UserId[] {
  const ids = new Set<UserId>();
  for (const target of targets) {
    if (target.id !== undefined && matchTarget(target, directory, profiles) === undefined) ids.add(target.id);
  }
  return [...ids];
}

async function fetchProfiles(
  api: UsersApi,
  ids: readonly UserId[],
  profiles: Map<UserId, SmartsheetUser | null>,
): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      try {
        profiles.set(id, await api.getUser(id));
      } catch (error) {
        if (error instanceof SmartsheetApiError && error.info.kind === 'not-found') profiles.set(id, null);
        else throw error;
      }
    }),
  );
}

async function fetchPages(
  api: UsersApi,
  from: number,
  to: number,
  directory: Directory,
): Promise<UsersPage[]> {
  const pages: number[] = [];
  for (let page = from; page <= to; page++) pages.push(page);
  const results = await Promise.all(pages.map((page) => api.listUsers({ page, pageSize: MAX_PAGE_SIZE })));
  for (const result of results) directory.addPage(result);
  return results;
}

/**
 * Whether the pages read prove who is absent. Someone joining or leaving while the list is paged shifts
 * everyone after them by one place, so a user may sit on no page that was read (and another on two):
 * that shows as a count that changed between pages, or fewer distinct users than the count.
 */
function listedEveryone(pages: readonly UsersPage[], directory: Directory): boolean {
  const [first] = pages;
  return (
    first !== undefined &&
    pages.every((page) => page.totalCount === first.totalCount && page.totalPages === first.totalPages) &&
    directory.size >= first.totalCount
  );
}

/** One email batch; more than one page only if Smartsheet ever returns several users per email. */
async function listAllPages(api: UsersApi, emails: readonly string[], directory: Directory): Promise<void> {
  const first = await api.listUsers({ emails, pageSize: MAX_PAGE_SIZE });
  directory.addPage(first);
  for (let page = 2; page <= first.totalPages; page++) {
    directory.addPage(await api.listUsers({ emails, page, pageSize: MAX_PAGE_SIZE }));
  }
}

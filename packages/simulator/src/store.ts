import { type ErrorAnswer, invalidParameter, outOfRange } from './errors.js';
import { listedUser } from './render.js';
import { type Operation, refusal } from './rules.js';
import type { Org, UserRecord, UserStatus } from './seed-format.js';

const MAX_PAGE_SIZE = 2000;
const DEFAULT_PAGE_SIZE = 100;
// page is a Java int on Smartsheet's side: past its range is refused, not read as the last page.
const MAX_PAGE = 2 ** 31 - 1;

/** One user's current state: the simulator's record, with its times as ISO 8601 rather than epoch ms. */
export type UserState = Omit<UserRecord, 'deactivatedAt' | 'reactivatedAt'> & {
  deactivatedAt?: string;
  reactivatedAt?: string;
};

export function toUserState(user: UserRecord): UserState {
  const { deactivatedAt, reactivatedAt, ...rest } = user;
  return {
    ...rest,
    ...(deactivatedAt === undefined ? {} : { deactivatedAt: new Date(deactivatedAt).toISOString() }),
    ...(reactivatedAt === undefined ? {} : { reactivatedAt: new Date(reactivatedAt).toISOString() }),
  };
}

/** A whole-number query parameter from 1 to `max` (`fallback` when absent), or Smartsheet's refusal of it. */
function wholeNumberParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max: number,
): number | ErrorAnswer {
  const text = query.get(name);
  if (text === null) return fallback;
  if (!/^-?\d+$/.test(text)) return invalidParameter(text, name);
  const value = Number(text);
  return value < 1 || value > max ? outOfRange(text, name, 1, max) : value;
}

/**
 * The organisation's users as they change: lookup, the `GET /users` listing with its email filter
 * and paging, and status changes. Works without a socket; the server only carries its answers.
 */
export class UserStore {
  private byId = new Map<string, UserRecord>();
  private byEmail = new Map<string, UserRecord>();
  private positions = new Map<string, number>();
  private order: UserRecord[] = [];
  private listed: UserRecord[] = [];

  constructor(
    private readonly org: Org,
    private readonly now: () => number,
  ) {
    this.reset();
  }

  /** Back to the seed's users. */
  reset(): void {
    this.order = this.org.users.map((user) => ({ ...user }));
    this.byId = new Map(this.order.map((user) => [user.id, user]));
    // The main plan's list holds neither child-organization users nor, by email, anyone else's.
    this.listed = this.order.filter((user) => !user.childOrganization);
    this.byEmail = new Map(this.listed.map((user) => [user.email.toLowerCase(), user]));
    this.positions = new Map(this.listed.map((user, index) => [user.id, index]));
  }

  get(id: string): UserRecord | undefined {
    return this.byId.get(id);
  }

  /** `GET /users` for this caller: the answer body, or Smartsheet's refusal of a query parameter. */
  list(caller: UserRecord, query: URLSearchParams): ErrorAnswer | Record<string, unknown> {
    const includeAll = query.get('includeAll') === 'true';
    const page = wholeNumberParam(query, 'page', 1, MAX_PAGE);
    if (typeof page !== 'number') return page;
    const pageSize = wholeNumberParam(query, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    if (typeof pageSize !== 'number') return pageSize;
    let matching = this.listed;
    const emailFilter = query.get('email');
    if (emailFilter) {
      const found = new Set<UserRecord>();
      for (const email of emailFilter.split(',')) {
        const user = this.byEmail.get(email.trim().toLowerCase());
        if (user) found.add(user);
      }
      matching = [...found].sort((a, b) => this.positions.get(a.id)! - this.positions.get(b.id)!);
    }
    const totalCount = matching.length;
    const isAdmin = caller.admin;
    if (includeAll) {
      return {
        pageNumber: 1,
        totalPages: 1,
        totalCount,
        data: matching.map((user) => listedUser(user, isAdmin)),
      };
    }
    const totalPages = Math.ceil(totalCount / pageSize);
    // Smartsheet answers a page past the end with the last page.
    const pageNumber = Math.max(1, Math.min(page, totalPages));
    const start = (pageNumber - 1) * pageSize;
    const data = matching.slice(start, start + pageSize).map((user) => listedUser(user, isAdmin));
    return { pageNumber, pageSize, totalPages, totalCount, data };
  }

  /** Deactivates or reactivates a user as `caller`: Smartsheet's SUCCESS answer, or its refusal. */
  changeStatus(
    operation: Operation,
    caller: UserRecord,
    userId: string,
  ): ErrorAnswer | { message: 'SUCCESS'; resultCode: 0 } {
    const target = this.byId.get(userId);
    const refused = refusal(operation, this.org, caller, target, this.now());
    if (refused) return refused;
    if (operation === 'deactivate' && target!.status !== 'DEACTIVATED') {
      target!.status = 'DEACTIVATED';
      target!.deactivatedAt = this.now();
      delete target!.reactivatedAt;
    } else if (operation === 'reactivate' && target!.status === 'DEACTIVATED') {
      target!.status = 'ACTIVE';
      target!.reactivatedAt = this.now();
      delete target!.deactivatedAt;
    }
    return { message: 'SUCCESS', resultCode: 0 };
  }

  /** Number of users per status. */
  counts(): Record<UserStatus, number> {
    const counts: Record<UserStatus, number> = { ACTIVE: 0, DEACTIVATED: 0, PENDING: 0, DECLINED: 0 };
    for (const user of this.order) counts[user.status] += 1;
    return counts;
  }

  /** Every user's state, in seed order. */
  states(): UserState[] {
    return this.order.map(toUserState);
  }
}

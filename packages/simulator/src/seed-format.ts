// The seed format (what a YAML or JSON seed may say) and the state it becomes inside the simulator.

/** Statuses Smartsheet reports in the user list (an open set for clients; these four here). */
export const USER_STATUSES = ['ACTIVE', 'DEACTIVATED', 'PENDING', 'DECLINED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/**
 * A user ID as a seed may give it: a decimal string, a bigint (YAML integers are read as bigints)
 * or a safe integer. A JavaScript number above 2^53 is refused: it has already lost digits.
 */
export type IdInput = string | bigint | number;

export interface SeedUser {
  id: IdInput;
  email: string;
  firstName?: string;
  lastName?: string;
  /** Defaults to `firstName lastName`. */
  name?: string;
  /** Default `ACTIVE`. */
  status?: UserStatus;
  /** System Admin: may deactivate and reactivate, sees admin-only fields. */
  admin?: boolean;
  groupAdmin?: boolean;
  /** Default true. */
  licensedSheetCreator?: boolean;
  resourceViewer?: boolean;
  /** Managed by a directory/IdP (SCIM): deactivate answers 400/5697, reactivate 400/5717. */
  directoryManaged?: boolean;
  /** Not internal to the plan: deactivate and reactivate answer 403/1004. */
  external?: boolean;
  /** Default true; false: deactivate answers 403/1335, reactivate 403/1354. */
  member?: boolean;
  /**
   * A user of an Enterprise Plan Manager child organization: left out of `GET /users` (the main
   * plan's list), yet `GET /users/{id}` answers and a main-plan System Admin may (re)activate it.
   */
  childOrganization?: boolean;
  /**
   * Fields sent as given in the list and the profile, over the user's own: imitates a server that
   * breaks the spec (`admin: "true"`). `null` leaves the field out (a user without an `email`).
   */
  wire?: Record<string, unknown>;
  /** ISO 8601 timestamp or epoch milliseconds; defaults to the server start for seeded `DEACTIVATED` users. */
  deactivatedAt?: string | number | Date;
  /** Instead of `deactivatedAt`: this many days before the server started (keeps an example org's window fresh). */
  deactivatedDaysAgo?: number | bigint;
}

export interface SeedToken {
  userId: IdInput;
  /** An expired token answers 401/1003. */
  expired?: boolean;
}

/** Many similar users, for paging tests and benchmarks. */
export interface GeneratedUsers {
  count: number | bigint;
  /** Default: the first plan domain, else `example.com`. */
  domain?: string;
  /** ID of the first generated user; the next ones add `idStep` (default 1). */
  idStart: IdInput;
  idStep?: number | bigint;
  /** Email local part before the zero-padded index (default `user`). */
  emailPrefix?: string;
  status?: UserStatus;
}

export type AlreadyDoneBehaviour = 'succeed' | 'error';

export interface SeedSettings {
  /**
   * Deactivating a user who is already `DEACTIVATED` is undocumented by Smartsheet:
   * `succeed` answers 200 SUCCESS, `error` (the default) answers 403/1188.
   */
  alreadyDeactivated?: AlreadyDoneBehaviour;
  /** Reactivating a user who is not `DEACTIVATED`: `succeed`, or `error` (default, 403/1188). */
  alreadyActive?: AlreadyDoneBehaviour;
  /** Reactivation is refused this many days after deactivation (default 30). */
  reactivationWindowDays?: number | bigint;
  /** Added to Smartsheet's named ISP domains (its list is "for example"). */
  extraIspDomains?: string[];
}

/** An organisation: the seed of the simulator's state. */
export interface Seed {
  account?: { id: IdInput; name: string };
  /** Email domains of the plan; a user on another domain cannot be (re)activated (403/1004). Empty: no check. */
  planDomains?: string[];
  /** A Smartsheet Gov server: deactivate and reactivate answer 403/1356. */
  gov?: boolean;
  settings?: SeedSettings;
  /** Access token → the user it belongs to (an ID, or `{ userId, expired }`). */
  tokens?: Record<string, IdInput | SeedToken>;
  users?: SeedUser[];
  generated?: GeneratedUsers | GeneratedUsers[];
}

/** One user's state inside the simulator (IDs as decimal strings, times as epoch milliseconds). */
export interface UserRecord {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  name: string;
  status: UserStatus;
  admin: boolean;
  groupAdmin: boolean;
  licensedSheetCreator: boolean;
  resourceViewer: boolean;
  directoryManaged: boolean;
  external: boolean;
  member: boolean;
  /** Set only for a child organization's user. */
  childOrganization?: true;
  wire?: Record<string, unknown>;
  deactivatedAt?: number;
  reactivatedAt?: number;
}

export interface Org {
  account: { id: string; name: string };
  planDomains: string[];
  gov: boolean;
  settings: {
    alreadyDeactivated: AlreadyDoneBehaviour;
    alreadyActive: AlreadyDoneBehaviour;
    reactivationWindowDays: number;
    ispDomains: Set<string>;
  };
  tokens: Map<string, { userId: string; expired: boolean }>;
  users: UserRecord[];
}

import type { ConnectionOptions, HttpRequest, Region, UserId } from './types.js';

export const REGION_BASE_URLS: Readonly<Record<Region, string>> = {
  us: 'https://api.smartsheet.com/2.0',
  eu: 'https://api.smartsheet.eu/2.0',
  au: 'https://api.smartsheet.au/2.0',
  gov: 'https://api.smartsheetgov.com/2.0',
};

/** Largest page the list endpoint accepts (more gives 400/1229). */
export const MAX_PAGE_SIZE = 2000;

export interface ListUsersQuery {
  emails?: readonly string[];
  page?: number;
  pageSize?: number;
}

/** Builds requests for one connection. Throws `ConfigError` (before any request) on Gov, a bad URL or header. */
export function smartsheetRequests(connection: ConnectionOptions): {
  baseUrl: string;
  listUsers(query?: ListUsersQuery): HttpRequest;
  getUser(id: UserId): HttpRequest;
  getCurrentUser(): HttpRequest;
  deactivateUser(id: UserId): HttpRequest;
  reactivateUser(id: UserId): HttpRequest;
} {
  throw new Error(`not implemented: smartsheetRequests(${connection.region})`);
}

import { ExactNumber } from './json.js';
import type { Org, UserRecord } from './seed-format.js';

/**
 * A user as `GET /users` lists it. The admin-only fields (and `status`) are left out for callers
 * who are not System Admins, as Smartsheet documents.
 */
export function listedUser(user: UserRecord, callerIsAdmin: boolean): Record<string, unknown> {
  const listed: Record<string, unknown> = {
    id: new ExactNumber(user.id),
    email: user.email,
    name: user.name,
    firstName: user.firstName,
    lastName: user.lastName,
  };
  if (!callerIsAdmin) return listed;
  listed.admin = user.admin;
  listed.groupAdmin = user.groupAdmin;
  listed.licensedSheetCreator = user.licensedSheetCreator;
  listed.resourceViewer = user.resourceViewer;
  listed.status = user.status;
  // Newer servers add isInternal; sheetCount (sunset) is -1 and only present for ACTIVE users.
  listed.isInternal = !user.external;
  if (user.status === 'ACTIVE') listed.sheetCount = -1;
  return onTheWire(listed, user);
}

/** The seed's `wire` fields over the rendered ones (`null`: left out). */
function onTheWire(rendered: Record<string, unknown>, user: UserRecord): Record<string, unknown> {
  for (const [field, value] of Object.entries(user.wire ?? {})) {
    if (value === null) delete rendered[field];
    else rendered[field] = typeof value === 'bigint' ? new ExactNumber(value.toString()) : value;
  }
  return rendered;
}

/**
 * A `UserProfile` (`GET /users/{id}` and `/users/me`): no `status` in its schema. Admin fields are
 * shown to System Admins, and always to the user themself.
 */
export function userProfile(user: UserRecord, org: Org, showAdminFields: boolean): Record<string, unknown> {
  const profile: Record<string, unknown> = {
    id: new ExactNumber(user.id),
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    locale: 'en_US',
    timeZone: 'US/Pacific',
    account: { id: new ExactNumber(org.account.id), name: org.account.name },
  };
  if (!showAdminFields) return onTheWire(profile, user);
  profile.admin = user.admin;
  profile.groupAdmin = user.groupAdmin;
  profile.licensedSheetCreator = user.licensedSheetCreator;
  profile.resourceViewer = user.resourceViewer;
  if (user.status === 'ACTIVE') profile.sheetCount = -1;
  return onTheWire(profile, user);
}

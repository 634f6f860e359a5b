import { ERRORS, type ErrorAnswer } from './errors.js';
import type { Org, UserRecord } from './seed-format.js';

const DAY_MS = 86_400_000;

export type Operation = 'deactivate' | 'reactivate';

function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Why Smartsheet would refuse this (de/re)activation, or undefined when it goes ahead.
 * When several rules apply, the first in this order wins (authentication and routing are checked
 * before): Gov server, caller not a System Admin, unknown user, the caller itself, not a member,
 * external, ISP domain, outside the plan's domains (not for a child organization's user), directory-managed, then the user's status
 * (and, for reactivation, the 30-day window).
 */
export function refusal(
  operation: Operation,
  org: Org,
  caller: UserRecord,
  target: UserRecord | undefined,
  nowMs: number,
): ErrorAnswer | undefined {
  const deactivating = operation === 'deactivate';
  if (org.gov) return ERRORS.govUnsupported;
  if (!caller.admin) return ERRORS.notAuthorized;
  if (!target) return ERRORS.userNotFound;
  if (target.id === caller.id) return deactivating ? ERRORS.deactivateSelf : ERRORS.reactivateSelf;
  if (!target.member) return deactivating ? ERRORS.deactivateNotMember : ERRORS.reactivateNotMember;
  if (target.external) return ERRORS.notAuthorized;
  const domain = emailDomain(target.email);
  if (org.settings.ispDomains.has(domain)) return ERRORS.ispDomain;
  // A child organization is a plan of its own, with its own domains.
  const outsideDomains = org.planDomains.length > 0 && !org.planDomains.includes(domain);
  if (outsideDomains && !target.childOrganization) return ERRORS.notAuthorized;
  if (target.directoryManaged) {
    return deactivating ? ERRORS.deactivateDirectoryManaged : ERRORS.reactivateDirectoryManaged;
  }
  if (deactivating) {
    if (target.status === 'DEACTIVATED') {
      return org.settings.alreadyDeactivated === 'succeed' ? undefined : ERRORS.accountNotActive;
    }
    // Pending or declined invitations have no active account to deactivate.
    return target.status === 'ACTIVE' ? undefined : ERRORS.accountNotActive;
  }
  if (target.status !== 'DEACTIVATED') {
    return org.settings.alreadyActive === 'succeed' ? undefined : ERRORS.accountNotActive;
  }
  const deactivatedFor = nowMs - (target.deactivatedAt ?? nowMs);
  if (deactivatedFor >= org.settings.reactivationWindowDays * DAY_MS) return ERRORS.notAuthorized;
  return undefined;
}

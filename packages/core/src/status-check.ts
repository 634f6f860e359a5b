import type { UsersApi } from './client.js';
import { notActiveMessage } from './decide.js';
import { SmartsheetApiError } from './errors.js';
import { withoutUndefined } from './report.js';
import type { Plan, ReportResult, SmartsheetErrorInfo, SmartsheetUser } from './types.js';

export type StatusFields = Pick<ReportResult, 'outcome' | 'reason' | 'message' | 'errorCode' | 'refId'>;

/**
 * 403/1188 "The account status of the user specified is not active" answers a deactivation of a user
 * already deactivated, but also of a pending or declined invitation. So it is not taken as done: the
 * user's status is read from the list (`GET /users?email=`, one request) and decides. DEACTIVATED (or,
 * reactivating, ACTIVE) is done; any other status, or a user the list does not hold, is
 * `blocked`/`not-active`; a lookup that fails leaves the change `failed`, to be run again.
 */
export async function confirmNotActive(
  api: UsersApi,
  operation: Plan['operation'],
  user: SmartsheetUser,
  refusal: SmartsheetErrorInfo,
): Promise<StatusFields> {
  const codes = { errorCode: refusal.errorCode, refId: refusal.refId };
  let listed: SmartsheetUser | undefined;
  try {
    const page = await api.listUsers({ emails: [user.email] });
    listed = page.data.find((candidate) => candidate.id === user.id);
  } catch (error) {
    if (!(error instanceof SmartsheetApiError)) throw error;
    return withoutUndefined({
      outcome: 'failed',
      reason: error.info.reason,
      message: `${refusal.message} Reading the user's status to confirm it failed: ${error.info.message} Run again.`,
      ...codes,
    });
  }
  const done = operation === 'deactivate' ? 'DEACTIVATED' : 'ACTIVE';
  if (listed?.status === done) {
    return withoutUndefined({
      outcome: operation === 'deactivate' ? 'already-deactivated' : 'already-active',
      message: `Smartsheet answered that the account is not active (${refusal.message}) and lists the user as ${done}, so it is done: it changed since the plan (by someone else, or by an earlier try whose answer was lost).`,
      ...codes,
    });
  }
  const why =
    listed === undefined
      ? `${refusal.message} The organization's user list does not hold ${user.email} (ID ${user.id}), so its status cannot be confirmed; check the user in Admin Center.`
      : `${refusal.message} ${notActiveMessage(operation, listed)}`;
  return withoutUndefined({ outcome: 'blocked', reason: 'not-active', message: why, ...codes });
}

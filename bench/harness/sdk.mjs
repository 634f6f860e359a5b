// The peer: the official JavaScript SDK doing the same job the way its documentation shows it.
import smartsheet from 'smartsheet';

/** Emails per `listAllUsers` call: the documented comma-separated `email` filter, one page each. */
const EMAILS_PER_LOOKUP = 100;

/**
 * Finds the IDs of `emails` with `users.listAllUsers` (email filter), then calls
 * `users.deactivateUser` once per ID, one after the other as the SDK's examples do.
 * The SDK's own retry policy (4001–4004, exponential backoff, 15 s budget) is kept and only its
 * clock is scaled by `timeScale`, like the simulator's minute, so both tools live in the same time.
 */
export async function offboardWithSdk({ baseUrl, token, emails, timeScale }) {
  const client = smartsheet.createClient({
    accessToken: token,
    baseUrl: `${baseUrl}/`,
    maxRetryDurationSeconds: 15 / timeScale,
    calcRetryBackoff: (retries) => ((2 ** retries + Math.random()) * 1000) / timeScale,
  });
  const failures = [];
  const ids = [];
  for (let i = 0; i < emails.length; i += EMAILS_PER_LOOKUP) {
    const chunk = emails.slice(i, i + EMAILS_PER_LOOKUP);
    try {
      const page = await client.users.listAllUsers({
        queryParameters: { email: chunk.join(','), pageSize: EMAILS_PER_LOOKUP },
      });
      for (const user of page.data) ids.push(user.id);
    } catch (error) {
      failures.push({
        step: 'lookup',
        emails: chunk.length,
        status: error.statusCode,
        errorCode: error.errorCode,
      });
    }
  }
  let deactivated = 0;
  for (const id of ids) {
    try {
      await client.users.deactivateUser({ userId: id });
      deactivated++;
    } catch (error) {
      failures.push({
        step: 'deactivate',
        id: String(id),
        status: error.statusCode,
        errorCode: error.errorCode,
      });
    }
  }
  return { deactivated, failures };
}

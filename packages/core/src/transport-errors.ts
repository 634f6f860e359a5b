import { isRecord } from './response-body.js';
import type { SmartsheetErrorInfo } from './types.js';
import { oneLine } from './wire.js';

// Failures with no HTTP answer (refused or lost connections, timeouts, ports fetch will not use), as
// typed errors: which are worth another try, and how many.

/** Node's network error codes that mean the connection, not the request, failed: worth another try. */
function connectionCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; isRecord(current) && depth < 5; current = current['cause'], depth++) {
    const code = current['code'];
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
  }
  return undefined;
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * Attempts in all for a refused connection: nothing listens there. A server restarting behind the
 * address may need a moment, but not the whole retry budget.
 */
export const REFUSED_CONNECTION_ATTEMPTS = 3;

/** Maps a thrown fetch error or a timeout to a typed error. */
export function mapTransportError(error: unknown): SmartsheetErrorInfo {
  const name = error instanceof Error || isRecord(error) ? (error as { name?: unknown }).name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return {
      kind: 'timeout',
      reason: 'network',
      retryable: true,
      message: oneLine(`No answer from Smartsheet in time (${errorText(error)}).`),
      remediation: 'Check the network path to Smartsheet, or raise the request timeout.',
    };
  }
  const code = connectionCode(error);
  const text = errorText(error);
  const message = oneLine(
    `Could not reach Smartsheet: ${text}${code && !text.includes(code) ? ` (${code})` : ''}`,
  );
  // fetch refuses some ports outright (those browsers block, such as 1 or 6000): no retry changes that.
  if (error instanceof TypeError && error.cause instanceof Error && error.cause.message === 'bad port') {
    return {
      kind: 'network',
      reason: 'network',
      retryable: false,
      message,
      remediation:
        'Node’s fetch refuses to connect to this port (one that browsers block): use another port in the base URL.',
    };
  }
  // undici reports a failed connection as `TypeError: fetch failed` (or `terminated` mid-body) with a
  // coded cause; a TypeError without one is a bug in the request (a bad header), not the network.
  // A name that does not exist will not start existing during the retry budget: a typo in the base URL.
  const unknownHost = code === 'ENOTFOUND';
  const lostConnection =
    !unknownHost &&
    (code !== undefined ||
      (error instanceof TypeError && (error.message === 'fetch failed' || error.message === 'terminated')));
  return {
    kind: 'network',
    reason: 'network',
    retryable: lostConnection,
    ...(code === 'ECONNREFUSED' && { maxAttempts: REFUSED_CONNECTION_ATTEMPTS }),
    message,
    remediation: unknownHost
      ? 'The host name does not resolve: check the region or the base URL (and the DNS of this machine).'
      : code === 'ECONNREFUSED'
        ? 'Nothing accepts connections at that address: check the region or the base URL (host and port) and any proxy.'
        : lostConnection
          ? 'Check the network, DNS, proxy and the base URL, then run again.'
          : 'An unexpected error while sending the request: report it to the smartsheet-offboard maintainers.',
  };
}

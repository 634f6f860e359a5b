import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  mapHttpError,
  mapTransportError,
  SmartsheetApiError,
  type SmartsheetOperation,
} from '../src/errors.js';
import type { SmartsheetErrorInfo } from '../src/types.js';
import { retryAfterMs } from '../src/wire.js';

const body = (errorCode: number, message = 'Smartsheet says no.', refId = 'ref123') =>
  JSON.stringify({ errorCode, message, refId });

type Row = [
  status: number,
  errorCode: number,
  operation: SmartsheetOperation | undefined,
  kind: SmartsheetErrorInfo['kind'],
  reason: SmartsheetErrorInfo['reason'],
  retryable: boolean,
  /** Whether the mapping adds advice of its own; an unknown refusal only quotes Smartsheet. */
  remedy: boolean,
];

/** The documented codes the five endpoints can answer (a copy of Smartsheet's list, source on its first line). */
const DOCUMENTED = readFileSync(new URL('./fixtures/error-codes.md', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => /^(\d{3}) \| (\d{4}|5xxx) \| /.exec(line))
  .filter((match) => match !== null)
  .map((match) => ({ status: Number(match[1]), code: match[2]! }));

// One row per documented code (several for 1004, whose meaning depends on the call), then a sample of
// the 5xxx range and codes no one documents for these endpoints.
const TABLE: Row[] = [
  [401, 1001, 'listUsers', 'auth', 'unauthorized', false, true],
  [401, 1002, 'deactivateUser', 'auth', 'unauthorized', false, true],
  [401, 1003, 'getCurrentUser', 'auth', 'unauthorized', false, true],
  [403, 1004, 'deactivateUser', 'forbidden', 'external-user', false, true],
  [403, 1004, 'reactivateUser', 'forbidden', 'reactivation-window', false, true],
  [403, 1004, 'listUsers', 'forbidden', 'unauthorized', false, true],
  [403, 1004, 'getCurrentUser', 'forbidden', 'unauthorized', false, true],
  [401, 1005, 'getCurrentUser', 'auth', 'unauthorized', false, true],
  [404, 1006, 'getUser', 'not-found', 'unexpected-response', false, true],
  [404, 1007, 'listUsers', 'bad-request', 'unexpected-response', false, true],
  [405, 1010, 'deactivateUser', 'bad-request', 'unexpected-response', false, true],
  [400, 1018, 'listUsers', 'bad-request', 'unexpected-response', false, true],
  [404, 1020, 'deactivateUser', 'not-found', 'unexpected-response', false, true],
  [403, 1048, 'deactivateUser', 'refused', 'not-active', false, true],
  [403, 1188, 'deactivateUser', 'refused', 'not-active', false, true],
  [400, 1229, 'listUsers', 'bad-request', 'unexpected-response', false, true],
  [403, 1335, 'deactivateUser', 'refused', 'not-member', false, true],
  [403, 1336, 'deactivateUser', 'refused', 'self', false, true],
  [403, 1354, 'reactivateUser', 'refused', 'not-member', false, true],
  [403, 1355, 'reactivateUser', 'refused', 'self', false, true],
  [403, 1356, 'deactivateUser', 'refused', 'gov-unsupported', false, true],
  [403, 1359, 'deactivateUser', 'refused', 'isp-domain', false, true],
  [403, 1361, 'deactivateUser', 'refused', 'policy-restricted', false, true],
  [403, 1362, 'deactivateUser', 'refused', 'policy-restricted', false, true],
  [403, 1363, 'reactivateUser', 'refused', 'policy-restricted', false, true],
  [429, 4003, 'deactivateUser', 'rate-limit', 'rate-limited', true, true],
  [410, 4005, 'listUsers', 'bad-request', 'unexpected-response', false, true],
  [500, 4000, 'deactivateUser', 'server', 'server-error', false, true],
  [503, 4001, 'deactivateUser', 'server', 'server-error', true, true],
  [500, 4002, 'listUsers', 'server', 'server-error', true, true],
  [500, 4004, 'getUser', 'server', 'server-error', true, true],
  [400, 5697, 'deactivateUser', 'refused', 'directory-managed', false, true],
  [400, 5717, 'reactivateUser', 'refused', 'directory-managed', false, true],
  // The 5xxx range: account conditions, worded by Smartsheet for people; quoted, never "report this".
  [400, 5000, 'deactivateUser', 'refused', 'refused', false, false],
  [400, 5999, 'reactivateUser', 'refused', 'refused', false, false],
  [500, 5151, 'deactivateUser', 'refused', 'refused', false, false],
  // Codes with no rule: a 403 is a refusal quoted as it is; the rest fall back on the status, never retried.
  [403, 1047, 'deactivateUser', 'refused', 'refused', false, false],
  [403, 9999, 'getUser', 'refused', 'refused', false, false],
  [400, 1008, 'listUsers', 'bad-request', 'unexpected-response', false, true],
  [404, 1033, 'getUser', 'not-found', 'unexpected-response', false, true],
  [401, 1030, 'getUser', 'auth', 'unauthorized', false, true],
  [429, 9999, 'getUser', 'rate-limit', 'rate-limited', false, true],
  [500, 1119, 'getUser', 'server', 'server-error', false, true],
  [501, 1358, 'deactivateUser', 'server', 'server-error', false, true],
];

describe('mapHttpError over every documented code', () => {
  it('the table covers every code of the copied list, with its documented status', () => {
    expect(DOCUMENTED.length).toBe(31);
    for (const { status, code } of DOCUMENTED) {
      const rows = TABLE.filter(([, errorCode]) =>
        code === '5xxx' ? errorCode >= 5000 && errorCode <= 5999 : String(errorCode) === code,
      );
      expect(rows.length, `errorCode ${code}`).toBeGreaterThan(0);
      expect(
        rows.some(([rowStatus]) => rowStatus === status),
        `errorCode ${code} with HTTP ${status}`,
      ).toBe(true);
    }
  });

  it.each(TABLE)(
    'HTTP %i errorCode %i (%s) → %s/%s, retryable %s, remedy %s',
    (status, errorCode, operation, kind, reason, retryable, remedy) => {
      const info = mapHttpError(status, body(errorCode), undefined, operation);
      expect(info).toMatchObject({ kind, reason, retryable, errorCode, httpStatus: status, refId: 'ref123' });
      // Smartsheet's code and words are always quoted, whatever the mapping adds.
      expect(info.message).toBe(
        `Smartsheet answered HTTP ${status} errorCode ${errorCode}, refId ref123: Smartsheet says no.`,
      );
      if (remedy) expect(info.remediation.length).toBeGreaterThan(10);
      else expect(info.remediation).toBe('');
      expect(info.remediation).not.toMatch(/\n/);
      // A refusal about the user is not blamed on the token or on this project.
      if (kind === 'refused') expect(info.remediation).not.toMatch(/maintainers|access token/);
    },
  );

  it('retries exactly 4001, 4002, 4003 and 4004 among codes with a body', () => {
    const retried = TABLE.filter(
      ([status, code, op]) => mapHttpError(status, body(code), undefined, op).retryable,
    ).map(([, code]) => code);
    expect(retried.sort()).toEqual([4001, 4002, 4003, 4004]);
  });

  it('reads 1004 as a refusal about the user when the operation is not given', () => {
    expect(mapHttpError(403, body(1004)).reason).toBe('external-user');
  });

  it('keeps Smartsheet’s message on one line and bounded', () => {
    const info = mapHttpError(400, body(5697, 'Managed\nfrom your\r\n  directory. '.repeat(40)));
    expect(info.message).not.toMatch(/[\r\n]/);
    expect(info.message.length).toBeLessThanOrEqual(300);
    expect(info.message.endsWith('…')).toBe(true);
  });

  it('parses the body losslessly: a numeric refId keeps every digit', () => {
    const info = mapHttpError(403, '{"errorCode":1359,"message":"ISP","refId":123456789012345678901}');
    expect(info.refId).toBe('123456789012345678901');
    expect(info.reason).toBe('isp-domain');
  });

  it('works without refId or message', () => {
    const info = mapHttpError(404, '{"errorCode":1020}');
    expect(info.refId).toBeUndefined();
    expect(info.message).toBe('Smartsheet answered HTTP 404 errorCode 1020: no message');
  });
});

describe('mapHttpError without a Smartsheet body', () => {
  const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
  const htmlHeaders = new Headers({ 'content-type': 'text/html; charset=utf-8' });

  it('maps an HTML 502 from a proxy to a retryable gateway error', () => {
    const info = mapHttpError(502, html, htmlHeaders);
    expect(info).toMatchObject({ kind: 'server', reason: 'server-error', retryable: true, httpStatus: 502 });
    expect(info.errorCode).toBeUndefined();
    expect(info.message).toBe(
      'Smartsheet answered HTTP 502 with a text/html body that is not a Smartsheet error.',
    );
  });

  it.each([
    [429, '', 'rate-limit', 'rate-limited', true],
    [429, 'Too Many Requests', 'rate-limit', 'rate-limited', true],
    [401, '', 'auth', 'unauthorized', false],
    [502, '', 'server', 'server-error', true],
    [503, '', 'server', 'server-error', true],
    [503, html, 'server', 'server-error', true],
    [504, '', 'server', 'server-error', true],
    [500, '{"error":"boom"}', 'unexpected-response', 'server-error', false],
    [403, html, 'unexpected-response', 'unexpected-response', false],
    [404, '', 'unexpected-response', 'unexpected-response', false],
    [400, '{"errorCode":"abc"}', 'unexpected-response', 'unexpected-response', false],
    [400, '[1,2]', 'unexpected-response', 'unexpected-response', false],
  ] as const)('HTTP %i with body %j → %s/%s, retryable %s', (status, text, kind, reason, retryable) => {
    expect(mapHttpError(status, text)).toMatchObject({ kind, reason, retryable, httpStatus: status });
  });

  it('describes an empty body', () => {
    expect(mapHttpError(429, '').message).toBe('Smartsheet answered HTTP 429 with an empty body.');
  });
});

describe('Retry-After', () => {
  it('reads seconds', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }))).toBe(7000);
    expect(mapHttpError(429, body(4003), new Headers({ 'retry-after': '2' })).retryAfterMs).toBe(2000);
  });

  it('reads an HTTP date against the response’s Date header', () => {
    const headers = new Headers({
      date: 'Thu, 01 Jan 2026 00:00:00 GMT',
      'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT',
    });
    expect(retryAfterMs(headers)).toBe(3000);
  });

  it('reads an HTTP date against the local clock without a Date header, never negative', () => {
    const headers = new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' });
    expect(retryAfterMs(headers, () => Date.parse('2026-01-01T00:00:01Z'))).toBe(4000);
    expect(retryAfterMs(headers, () => Date.parse('2026-01-01T00:01:00Z'))).toBe(0);
  });

  it('ignores an absent or unreadable header', () => {
    expect(retryAfterMs(new Headers())).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(mapHttpError(429, '').retryAfterMs).toBeUndefined();
  });
});

describe('mapTransportError', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });

  it('maps a refused connection (undici’s fetch failed) to a network error worth a few quick tries', () => {
    const info = mapTransportError(new TypeError('fetch failed', { cause: refused }));
    expect(info).toMatchObject({ kind: 'network', reason: 'network', retryable: true, maxAttempts: 3 });
    expect(info.message).toBe('Could not reach Smartsheet: fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    expect(info.remediation).toContain('base URL (host and port)');
  });

  it('does not retry a port that fetch refuses outright', () => {
    const info = mapTransportError(new TypeError('fetch failed', { cause: new Error('bad port') }));
    expect(info).toMatchObject({ kind: 'network', reason: 'network', retryable: false });
    expect(info.message).toBe('Could not reach Smartsheet: fetch failed: bad port');
    expect(info.remediation).toContain('use another port');
  });

  it('maps a connection cut mid-body to a retryable network error', () => {
    const info = mapTransportError(
      new TypeError('terminated', {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      }),
    );
    expect(info.retryable).toBe(true);
    expect(info.message).toContain('(UND_ERR_SOCKET)');
  });

  it.each([
    new DOMException('no answer within 10 ms', 'TimeoutError'),
    new DOMException('This operation was aborted', 'AbortError'),
  ])('maps %s to a retryable timeout', (error) => {
    expect(mapTransportError(error)).toMatchObject({ kind: 'timeout', reason: 'network', retryable: true });
  });

  it('does not retry a host name that does not resolve (a typo in the base URL), and says what to check', () => {
    const unknown = Object.assign(new Error('getaddrinfo ENOTFOUND api.smartsheet.con'), {
      code: 'ENOTFOUND',
    });
    const info = mapTransportError(new TypeError('fetch failed', { cause: unknown }));
    expect(info).toMatchObject({ kind: 'network', reason: 'network', retryable: false });
    expect(info.remediation).toContain('does not resolve');
  });

  it('does not retry an error that is not about the connection', () => {
    const info = mapTransportError(new TypeError('Headers.append: invalid header value'));
    expect(info).toMatchObject({ kind: 'network', retryable: false });
    expect(mapTransportError('weird').retryable).toBe(false);
  });
});

describe('error classes', () => {
  it('ConfigError names the input, the value and what is allowed', () => {
    const error = new ConfigError('pageSize', '0', 'a whole number from 1 to 2000');
    expect(error.message).toBe('Invalid pageSize "0": a whole number from 1 to 2000');
    expect(error.name).toBe('ConfigError');
  });

  it('SmartsheetApiError carries the info and its message', () => {
    const info = mapHttpError(403, body(1359));
    const error = new SmartsheetApiError(info);
    expect(error.info).toBe(info);
    expect(error.message).toBe(info.message);
    expect(String(error)).toBe(`SmartsheetApiError: ${info.message}`);
  });
});

describe('the remedy adds to what Smartsheet said, rather than saying it again', () => {
  // Smartsheet's own words for each documented code, as its list gives them.
  const SAID = readFileSync(new URL('./fixtures/error-codes.md', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => /^(\d{3}) \| (\d{4}) \| (.+)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ status: Number(match[1]), code: Number(match[2]), message: match[3]! }));
  const STOP = new Set(
    'a an the and or of to in on for from by is are be it this that them they their you your user users with as at not can only instead please'.split(
      ' ',
    ),
  );
  const words = (text: string) =>
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((word) => word.length > 1 && !STOP.has(word))
      // One word for the spellings of one (deactivate, deactivated; organization, organisation, org).
      .map((word) => word.replace(/(ed|d|s)$/, '').replace(/^organi[sz]ation$|^org$/, 'organization'));

  it.each(
    SAID.flatMap(({ status, code, message }) =>
      TABLE.filter(
        ([rowStatus, errorCode, , , , , remedy]) => rowStatus === status && errorCode === code && remedy,
      ).map(([, , operation]) => [code, operation, status, message] as const),
    ),
  )('errorCode %i (%s)', (code, operation, status, message) => {
    const info = mapHttpError(status, body(code, message), undefined, operation);
    const said = new Set(words(message));
    const remedy = words(info.remediation);
    const repeated = remedy.filter((word) => said.has(word));
    expect(
      repeated.length / remedy.length,
      `"${info.remediation}" repeats ${repeated.join(', ')}`,
    ).toBeLessThanOrEqual(1 / 3);
  });
});

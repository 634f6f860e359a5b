import type { ServerResponse } from 'node:http';

/** Where GitHub's error bodies point (`documentation_url`). */
export const DOCS = 'https://docs.github.com/rest';

/** What GitHub does when it fails; each is answered instead of the operation's response. */
export type Fault =
  /** A 502 from GitHub's edge: an HTML page, not JSON. */
  | { kind: 'bad-gateway' }
  /** 403 with `retry-after`, as for too many content-creating requests. */
  | { kind: 'secondary-rate-limit'; retryAfterSeconds: number }
  /** 403 with `x-ratelimit-remaining: 0` until the reset time. */
  | { kind: 'primary-rate-limit'; resetInSeconds: number }
  /** Never answers, until the server stops. */
  | { kind: 'hang' }
  /** Any status with GitHub's error body. */
  | { kind: 'status'; status: number; message: string };

interface FaultRule {
  operationId: string;
  fault: Fault;
  /** How many requests still get the fault; Infinity for all. */
  remaining: number;
}

/** The faults a test injected into the fake GitHub API, and the requests left hanging by them. */
export class GitHubFaults {
  private readonly rules: FaultRule[] = [];
  private readonly hanging = new Set<ServerResponse>();

  /** The next `times` requests for `operationId` get `fault`. */
  add(operationId: string, fault: Fault, times: number): void {
    this.rules.push({ operationId, fault, remaining: times });
  }

  /** Drops the faults not yet used and ends every hanging request. */
  clear(): void {
    this.rules.length = 0;
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
  }

  /** The fault for this request of `operationId`, if one is still due. */
  take(operationId: string): Fault | undefined {
    const rule = this.rules.find(
      (candidate) => candidate.operationId === operationId && candidate.remaining > 0,
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }

  /** Answers `response` with `fault` instead of the operation's response. */
  send(response: ServerResponse, fault: Fault): void {
    const json = { 'content-type': 'application/json; charset=utf-8' };
    switch (fault.kind) {
      case 'bad-gateway':
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end(
          '<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n',
        );
        return;
      case 'secondary-rate-limit':
        response.writeHead(403, { ...json, 'retry-after': String(fault.retryAfterSeconds) });
        response.end(
          JSON.stringify({
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url: `${DOCS}/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          }),
        );
        return;
      case 'primary-rate-limit': {
        const reset = Math.ceil(Date.now() / 1000) + fault.resetInSeconds;
        response.writeHead(403, {
          ...json,
          'x-ratelimit-limit': '1000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '1000',
          'x-ratelimit-reset': String(reset),
          'x-ratelimit-resource': 'core',
        });
        response.end(
          JSON.stringify({
            message: 'API rate limit exceeded for installation ID 1.',
            documentation_url: `${DOCS}/rest/using-the-rest-api/rate-limits-for-the-rest-api`,
          }),
        );
        return;
      }
      case 'hang':
        this.hanging.add(response);
        response.on('close', () => this.hanging.delete(response));
        return;
      case 'status':
        response.writeHead(fault.status, json);
        response.end(JSON.stringify({ message: fault.message, documentation_url: DOCS }));
        return;
    }
  }
}

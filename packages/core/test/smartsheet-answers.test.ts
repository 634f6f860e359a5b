import { type Seed, type Simulator, startSimulator } from '@smartsheet-offboard/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ClientOptions,
  createClient,
  describeRetry,
  type RetryEvent,
  type UsersApi,
} from '../src/client.js';
import { ConfigError, SmartsheetApiError } from '../src/errors.js';

// How the client reads Smartsheet's less common answers, each over real HTTP from the simulator.

const TOKEN = 'answers-admin-token-3c9e1f7a2b';
const ADMIN = '1001';
const JANE = '1002';

const SEED: Seed = {
  tokens: { [TOKEN]: ADMIN },
  users: [
    { id: ADMIN, email: 'ada.admin@example.com', name: 'Ada Admin', admin: true },
    { id: JANE, email: 'jane.doe@example.com', name: 'Jane Doe' },
  ],
};

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function simulator(seed: Seed = SEED): Promise<Simulator> {
  const sim = await startSimulator({ seed });
  stops.push(() => sim.stop());
  return sim;
}

/** A client on a clock that only moves when it sleeps, recording its retries. */
function client(
  baseUrl: string,
  extra: Partial<ClientOptions> = {},
): { api: UsersApi; retries: RetryEvent[] } {
  let time = 0;
  const retries: RetryEvent[] = [];
  const api = createClient({
    token: TOKEN,
    baseUrl,
    requestsPerMinute: 60_000,
    random: () => 0,
    now: () => time,
    sleep: async (ms) => {
      time += ms;
    },
    onRetry: (event) => retries.push(event),
    ...extra,
  });
  return { api, retries };
}

async function failure(promise: Promise<unknown>): Promise<SmartsheetApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SmartsheetApiError);
  return error as SmartsheetApiError;
}

describe('gateway errors (item 3)', () => {
  it('retries an HTML 502, an HTML 503 and an empty 504 from a proxy, and says so before each wait', async () => {
    const sim = await simulator();
    for (const fault of ['gateway-502', 'gateway-503', 'gateway-504'] as const) {
      sim.failNext({ fault, endpoint: 'listUsers' });
    }
    const { api, retries } = client(sim.url);
    const page = await api.listUsers({ emails: ['jane.doe@example.com'] });
    expect(page.data.map((user) => user.id)).toEqual([JANE]);
    expect(sim.journal().map((entry) => entry.status)).toEqual([502, 503, 504, 200]);
    expect(retries.map((event) => [event.attempt, event.delayMs, event.error.httpStatus])).toEqual([
      [1, 1000, 502],
      [2, 2000, 503],
      [3, 4000, 504],
    ]);
    expect(describeRetry(retries[0]!)).toBe(
      'Retrying GET /users in 1.0 s (try 2; up to 120 s in all): Smartsheet answered HTTP 502 with a text/html body that is not a Smartsheet error.',
    );
    expect(describeRetry(retries[2]!)).toContain('HTTP 504 with an empty body');
  });

  it('retries a deactivation the proxy lost after Smartsheet made it: the retry meets 403/1188', async () => {
    const sim = await simulator();
    sim.failNext({ fault: 'gateway-504', endpoint: 'deactivateUser', afterApplying: true });
    const { api, retries } = client(sim.url);
    const error = await failure(api.deactivateUser(JANE));
    expect(error.info).toMatchObject({ errorCode: 1188, reason: 'not-active' });
    expect(retries).toHaveLength(1);
    expect(sim.user(JANE)?.status).toBe('DEACTIVATED');
  });
});

describe('refusals this client has no name for (item 2)', () => {
  it.each([
    [403, 1047, 'refused', 'You cannot remove yourself from the account through the API.'],
    [403, 1999, 'refused', 'A refusal Smartsheet added after this client was written.'],
    [400, 5123, 'refused', 'Der Benutzer kann derzeit nicht geändert werden.'],
    [403, 1361, 'policy-restricted', 'This action is restricted by an SSO Policy.'],
    [403, 1048, 'not-active', 'The user specified has declined the invitation to join your organization.'],
  ] as const)(
    'HTTP %i errorCode %i is %s, quoting Smartsheet',
    async (status, errorCode, reason, message) => {
      const sim = await simulator();
      sim.failNext({ fault: 'answer', answer: { status, errorCode, message }, endpoint: 'deactivateUser' });
      const { api, retries } = client(sim.url);
      const error = await failure(api.deactivateUser(JANE));
      expect(error.info).toMatchObject({
        kind: 'refused',
        reason,
        retryable: false,
        errorCode,
        httpStatus: status,
      });
      expect(error.message).toMatch(
        new RegExp(`^Smartsheet answered HTTP ${status} errorCode ${errorCode}, refId \\w+: `),
      );
      expect(error.message.endsWith(message)).toBe(true);
      if (reason === 'refused') expect(error.info.remediation).toBe('');
      else expect(error.info.remediation).toMatch(/Admin Center/);
      expect(retries).toEqual([]);
    },
  );

  it('404/1007 (an API version Smartsheet does not serve) points at the base URL, not the user', async () => {
    const sim = await simulator();
    const { api } = client(sim.url.replace(/\/2\.0$/, '/1.1'));
    const error = await failure(api.getUser(JANE));
    expect(error.info).toMatchObject({ errorCode: 1007, kind: 'bad-request' });
    expect(error.info.remediation).toContain('must end in /2.0');
  });
});

describe('unreachable hosts (item 4)', () => {
  it('gives a refused connection three quick tries, saying so, instead of the whole budget', async () => {
    const sim = await simulator();
    await sim.stop();
    const { api, retries } = client(sim.url);
    const error = await failure(api.getCurrentUser());
    expect(error.info).toMatchObject({ kind: 'network', reason: 'network' });
    expect(error.message).toMatch(/ECONNREFUSED.*\(gave up after 3 attempts in 3\.0 s\)$/);
    expect(retries.map(describeRetry)).toEqual([
      expect.stringMatching(
        /^Retrying GET \/users\/me in 1\.0 s \(try 2 of 3\): Could not reach Smartsheet: .*ECONNREFUSED/,
      ),
      expect.stringMatching(/^Retrying GET \/users\/me in 2\.0 s \(try 3 of 3\): /),
    ]);
  });

  it('does not retry a port that fetch refuses outright', async () => {
    const attempts: number[] = [];
    const { api, retries } = client('http://127.0.0.1:6000/2.0', {
      onAttempt: (event) => attempts.push(event.attempt),
    });
    const error = await failure(api.getCurrentUser());
    expect(error.info).toMatchObject({ kind: 'network', retryable: false });
    expect(error.message).toContain('bad port');
    expect(error.info.remediation).toContain('use another port');
    expect(attempts).toEqual([1]);
    expect(retries).toEqual([]);
  });
});

describe('wrongly typed safety fields and users without an email (item 5)', () => {
  it.each([
    ['admin', 'true', 'a string'],
    ['admin', 1, 'a number'],
    ['groupAdmin', 'yes', 'a string'],
    ['isInternal', 'false', 'a string'],
    ['status', 7, 'a number'],
  ] as const)(
    '%s: %j is an unexpected response naming the endpoint and the field',
    async (field, value, type) => {
      const sim = await simulator({
        ...SEED,
        users: [
          ...SEED.users!,
          { id: '1003', email: 'odd@example.com', name: 'Odd Fields', wire: { [field]: value } },
        ],
      });
      const { api, retries } = client(sim.url);
      const error = await failure(api.listUsers({ page: 1, pageSize: 2000 }));
      expect(error.info).toMatchObject({ kind: 'unexpected-response', retryable: false });
      expect(error.message).toContain(
        `Smartsheet answered HTTP 200 to GET /users with user 1003 with the field ${field} ${JSON.stringify(value)} (${type})`,
      );
      expect(retries).toEqual([]);
    },
  );

  it('also for one user’s profile', async () => {
    const sim = await simulator({
      ...SEED,
      users: [...SEED.users!, { id: '1003', email: 'odd@example.com', name: 'Odd', wire: { admin: 'true' } }],
    });
    const error = await failure(client(sim.url).api.getUser('1003'));
    expect(error.message).toContain(
      'to GET /users/1003 with user 1003 with the field admin "true" (a string), not true or false',
    );
  });

  it('keeps a page with a user without an email, naming that user apart', async () => {
    const sim = await simulator({
      ...SEED,
      users: [
        ...SEED.users!,
        { id: '1003', email: 'gone@example.com', name: 'No Email', wire: { email: null } },
      ],
    });
    const page = await client(sim.url).api.listUsers({ page: 1, pageSize: 2000 });
    expect(page.data.map((user) => user.id)).toEqual([ADMIN, JANE]);
    expect(page.withoutEmail).toEqual(['1003']);
    expect(page.totalCount).toBe(3);
  });
});

describe('success is SUCCESS with resultCode 0 (item 8)', () => {
  it.each([
    [{ message: 'PARTIAL_SUCCESS', resultCode: 0 }, 'message "PARTIAL_SUCCESS", resultCode 0'],
    [{ message: 'PARTIAL_SUCCESS', resultCode: 3 }, 'PARTIAL_SUCCESS (resultCode 3)'],
    [{ message: 'SUCCESS', resultCode: 1 }, 'message "SUCCESS", resultCode 1'],
  ])('%j is an error quoting what Smartsheet said, not retried', async (result, said) => {
    const sim = await simulator();
    sim.failNext({ fault: 'result', result, endpoint: 'deactivateUser' });
    const { api, retries } = client(sim.url);
    const error = await failure(api.deactivateUser(JANE));
    expect(error.info).toMatchObject({ kind: 'unexpected-response', retryable: false, httpStatus: 200 });
    expect(error.message).toContain(`to POST /users/${JANE}/deactivate with`);
    expect(error.message).toContain(said);
    expect(retries).toEqual([]);
  });
});

describe('the token (item 9)', () => {
  it.each([
    ['short', 'abc123', 'at least 16 characters'],
    ['with quotes', '"answers-admin-token-3c9e1f7a2b"', 'letters, digits and'],
    ['with a comma', 'answers-admin-token,3c9e1f7a2b', 'letters, digits and'],
  ])('refuses a %s token before any request, without echoing it', async (_name, token, why) => {
    const sim = await simulator();
    let refusal: unknown;
    try {
      createClient({ token, baseUrl: sim.url });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ConfigError);
    const { message } = refusal as ConfigError;
    expect(message).toContain(why);
    expect(message).not.toContain(token);
    expect(sim.journal()).toEqual([]);
  });

  it('redacts whole occurrences only: words that merely contain part of it stay readable', async () => {
    const sim = await simulator();
    const message = `Token ${TOKEN} rejected for answers-admin (see ${TOKEN}).`;
    sim.failNext({ fault: 'answer', answer: { status: 403, errorCode: 1999, message } });
    const error = await failure(client(sim.url).api.getCurrentUser());
    expect(error.message).toMatch(/: Token \*\*\* rejected for answers-admin \(see \*\*\*\)\.$/);
    expect(error.message).not.toContain(TOKEN);
  });
});

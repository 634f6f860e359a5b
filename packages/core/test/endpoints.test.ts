import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE, REGION_BASE_URLS, smartsheetRequests, USER_AGENT } from '../src/endpoints.js';
import { ConfigError } from '../src/errors.js';
import type { ConnectionOptions } from '../src/types.js';
import { CORE_VERSION } from '../src/version.js';

const TOKEN = 'tok-ENDPOINTS-7f3a9c2e1b';
const connect = (extra: Partial<ConnectionOptions> = {}) => smartsheetRequests({ token: TOKEN, ...extra });

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('hosts', () => {
  it.each([
    ['us', 'https://api.smartsheet.com/2.0'],
    ['eu', 'https://api.smartsheet.eu/2.0'],
    ['au', 'https://api.smartsheet.au/2.0'],
  ] as const)('region %s uses %s', (region, base) => {
    const requests = connect({ region });
    expect(requests.baseUrl).toBe(base);
    expect(requests.getCurrentUser().url).toBe(`${base}/users/me`);
  });

  it('defaults to the US host', () => {
    expect(connect().baseUrl).toBe(REGION_BASE_URLS.us);
  });

  it('refuses Smartsheet Gov by region, before any request', () => {
    const error = configError(() => connect({ region: 'gov' }));
    expect(error.message).toContain('deactivation is not available on Smartsheet Gov');
    expect(error.input).toBe('region');
  });

  it.each([
    'https://api.smartsheetgov.com/2.0',
    'https://API.SmartsheetGov.com/2.0/',
    'https://smartsheetgov.com/2.0',
    'https://api.smartsheetgov.com./2.0',
  ])('refuses a Gov host in baseUrl (%s)', (baseUrl) => {
    const error = configError(() => connect({ baseUrl }));
    expect(error.message).toContain('deactivation is not available on Smartsheet Gov');
    expect(error.input).toBe('baseUrl');
  });

  it('refuses an unknown region, naming the allowed ones', () => {
    const error = configError(() => connect({ region: 'mars' as never }));
    expect(error.message).toBe('Invalid region "mars": one of us, eu, au');
  });

  it.each([
    ['https://proxy.example.com/smartsheet/2.0', 'https://proxy.example.com/smartsheet/2.0'],
    ['https://proxy.example.com/smartsheet/2.0/', 'https://proxy.example.com/smartsheet/2.0'],
    ['http://127.0.0.1:8080/2.0', 'http://127.0.0.1:8080/2.0'],
    ['http://127.45.0.9:8080/2.0//', 'http://127.45.0.9:8080/2.0'],
    ['http://[::1]:9/2.0', 'http://[::1]:9/2.0'],
    ['http://localhost:3000', 'http://localhost:3000'],
  ])('accepts the base URL %s', (baseUrl, expected) => {
    const requests = connect({ baseUrl, region: 'eu' });
    expect(requests.baseUrl).toBe(expected);
    expect(requests.getUser('42').url).toBe(`${expected}/users/42`);
  });

  it.each([
    'http://api.smartsheet.com/2.0',
    'http://10.0.0.1/2.0',
    'http://localhost.example.com/2.0',
    'ftp://127.0.0.1/2.0',
    'not a url',
    'https://api.smartsheet.com/2.0?x=1',
  ])('refuses the base URL %s, saying what is allowed', (baseUrl) => {
    const error = configError(() => connect({ baseUrl }));
    expect(error.input).toBe('baseUrl');
    expect(error.value).toBe(baseUrl);
    expect(error.message).toContain('https');
    expect(error.message).toContain('loopback');
  });

  it('never echoes credentials embedded in a base URL', () => {
    const error = configError(() => connect({ baseUrl: 'https://me:hunter2secret@proxy.example.com/2.0' }));
    expect(error.message).not.toContain('hunter2secret');
    expect(error.message).toContain('no credentials');
  });
});

describe('paths', () => {
  const requests = connect();

  it('lists users with URL-encoded, comma-joined emails, page and pageSize', () => {
    const request = requests.listUsers({ emails: ['a+b@x.com', 'Jöhn@例え.jp'], page: 2, pageSize: 500 });
    expect(request.method).toBe('GET');
    expect(request.url).toBe(
      `${REGION_BASE_URLS.us}/users?email=a%2Bb%40x.com,J%C3%B6hn%40%E4%BE%8B%E3%81%88.jp&page=2&pageSize=500`,
    );
    expect(requests.listUsers().url).toBe(`${REGION_BASE_URLS.us}/users`);
    expect(requests.listUsers({ pageSize: MAX_PAGE_SIZE }).url).toBe(
      `${REGION_BASE_URLS.us}/users?pageSize=2000`,
    );
  });

  it.each([0, 2001, 1.5, Number.NaN, -1])('refuses pageSize %s, naming the range', (pageSize) => {
    const error = configError(() => requests.listUsers({ pageSize }));
    expect(error.message).toBe(`Invalid pageSize "${pageSize}": a whole number from 1 to 2000`);
  });

  it('refuses page 0 and an empty or comma-carrying email filter', () => {
    expect(configError(() => requests.listUsers({ page: 0 })).input).toBe('page');
    expect(configError(() => requests.listUsers({ emails: [] })).message).toContain('list every user');
    expect(configError(() => requests.listUsers({ emails: ['a@x.com,b@y.com'] })).input).toBe('email');
  });

  it('builds get, me, deactivate and reactivate with the exact 64-bit ID', () => {
    const id = '48569348493401200';
    expect(requests.getUser(id)).toMatchObject({ method: 'GET', url: `${REGION_BASE_URLS.us}/users/${id}` });
    expect(requests.getCurrentUser()).toMatchObject({
      method: 'GET',
      url: `${REGION_BASE_URLS.us}/users/me`,
    });
    expect(requests.deactivateUser(id)).toMatchObject({
      method: 'POST',
      url: `${REGION_BASE_URLS.us}/users/${id}/deactivate`,
    });
    expect(requests.reactivateUser('9223372036854775807')).toMatchObject({
      method: 'POST',
      url: `${REGION_BASE_URLS.us}/users/9223372036854775807/reactivate`,
    });
  });

  it.each(['0', '012', '-5', '1e5', '4.5', '', ' 42', 'me', '9223372036854775808', '1/../2'])(
    'refuses the user ID %j before building a URL',
    (id) => {
      const error = configError(() => requests.deactivateUser(id));
      expect(error.input).toBe('user ID');
      expect(error.value).toBe(id);
    },
  );
});

describe('headers', () => {
  it('sends the bearer token, JSON Accept and a User-Agent naming the tool and its version', () => {
    const { headers } = connect().getCurrentUser();
    expect(headers).toEqual({
      Authorization: `Bearer ${TOKEN}`,
      Accept: 'application/json',
      'User-Agent': USER_AGENT,
    });
    expect(USER_AGENT).toContain('smartsheet-offboard');
    expect(USER_AGENT).toContain(CORE_VERSION);
  });

  it('keeps the version constant equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(CORE_VERSION).toBe(pkg.version);
  });

  it('trims a token pasted with a line break', () => {
    expect(smartsheetRequests({ token: `  ${TOKEN}\n` }).getCurrentUser().headers['Authorization']).toBe(
      `Bearer ${TOKEN}`,
    );
  });

  it.each(['', '   ', '\n'])('refuses an empty token %j', (token) => {
    const error = configError(() => smartsheetRequests({ token }));
    expect(error.message).toBe(
      'Invalid token "": a Smartsheet access token is required (a System Admin’s, scope ADMIN_USERS)',
    );
  });

  it('refuses a token with inner spaces without echoing it', () => {
    const error = configError(() => smartsheetRequests({ token: 'secret-part-one secret-part-two' }));
    expect(error.message).not.toContain('secret-part');
    expect(JSON.stringify(error)).not.toContain('secret-part');
  });

  it.each([
    'AI,Acme,Offboarder',
    'SCRIPT,,Offboarder',
    'APPLICATION,Acme Corp,smartsheet-offboard',
    'PERSONAL_ACCOUNT,Acme,Me',
  ])('sends the integration source %s', (integrationSource) => {
    expect(connect({ integrationSource }).getCurrentUser().headers['smartsheet-integration-source']).toBe(
      integrationSource,
    );
  });

  it.each([
    'SCRIPT,Acme',
    'SCRIPT,Acme,Tool,Extra',
    'BOT,Acme,Tool',
    'script,Acme,Tool',
    'SCRIPT,Acme,',
    'SCRIPT,Acme, ',
    'SCRIPT,Acme,Tool\nX-Evil: 1',
  ])('refuses the integration source %j, naming input, value and format', (integrationSource) => {
    const error = configError(() => connect({ integrationSource }));
    expect(error.input).toBe('integrationSource');
    expect(error.value).toBe(integrationSource);
    expect(error.message).toContain('TYPE,ORG-NAME,INTEGRATOR-NAME');
    expect(error.message).toContain('AI, SCRIPT, APPLICATION, PERSONAL_ACCOUNT');
  });

  it('sends the change agent and caller headers; a caller header replaces a default of any case', () => {
    const { headers } = connect({
      changeAgent: 'offboarding PR #12',
      headers: { 'x-request-id': 'abc', 'user-agent': 'my-wrapper/1.0' },
    }).deactivateUser('7');
    expect(headers).toEqual({
      Authorization: `Bearer ${TOKEN}`,
      Accept: 'application/json',
      'Smartsheet-Change-Agent': 'offboarding PR #12',
      'x-request-id': 'abc',
      'user-agent': 'my-wrapper/1.0',
    });
  });

  it.each(['Authorization', 'authorization', 'AUTHORIZATION'])('refuses a caller header %s', (name) => {
    const error = configError(() => connect({ headers: { [name]: 'Bearer other' } }));
    expect(error.message).toContain('Authorization is set from the token');
  });

  it.each(['X Bad', 'X-Bad:', '', 'Ünicode'])('refuses the header name %j', (name) => {
    const error = configError(() => connect({ headers: { [name]: 'v' } }));
    expect(error).toMatchObject({ input: 'headers', value: name });
  });

  it('refuses a header value with a line break without echoing the value', () => {
    const error = configError(() => connect({ headers: { 'X-Api-Key': 'hidden-value\r\nX-Evil: 1' } }));
    expect(error).toMatchObject({ input: 'headers', value: 'X-Api-Key: (value not shown)' });
    expect(error.message).not.toContain('hidden-value');
    expect(configError(() => connect({ changeAgent: 'a\nb' })).input).toBe('changeAgent');
  });

  it('gives each request its own header object', () => {
    const requests = connect();
    const first = requests.getCurrentUser();
    first.headers['Authorization'] = 'changed';
    expect(requests.getCurrentUser().headers['Authorization']).toBe(`Bearer ${TOKEN}`);
  });
});

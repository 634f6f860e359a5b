import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Seed } from '@smartsheet-offboard/simulator';
import { calls } from '@smartsheet-offboard/testkit/journal';
import { CALLER } from '@smartsheet-offboard/testkit/orgs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createClient } from '../src/client.js';
import { normalizeEmail } from '../src/emails.js';
import { plan } from '../src/plan.js';
import { Directory, EMAIL_BATCH_LIMITS, emailBatches, matchTarget } from '../src/resolve.js';
import type { SmartsheetUser, Target } from '../src/types.js';
import { ADMIN_TOKEN, byEmail, byId, connect, useSimulator } from './support/org.js';

describe('emailBatches', () => {
  it('puts at most 50 emails in a request', () => {
    const emails = Array.from({ length: 120 }, (_, index) => `u${index}@example.com`);
    const batches = emailBatches(emails);
    expect(batches.map((batch) => batch.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(emails);
  });

  it('keeps the encoded query short when emails are long', () => {
    const emails = Array.from({ length: 30 }, (_, index) => `${'x'.repeat(60)}.${index}@example.com`);
    const batches = emailBatches(emails);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      const query = batch.map((email) => encodeURIComponent(email)).join('%2C');
      expect(query.length).toBeLessThanOrEqual(EMAIL_BATCH_LIMITS.maxQueryChars);
    }
    expect(batches.flat()).toEqual(emails);
  });

  it('gives no batch for no email, and one for a single over-long email', () => {
    expect(emailBatches([])).toEqual([]);
    const long = `${'y'.repeat(2000)}@example.com`;
    expect(emailBatches([long])).toEqual([[long]]);
  });
});

describe('matchTarget', () => {
  const directory = new Directory([
    { id: '11', email: 'Ann@Example.com', status: 'ACTIVE' },
    { id: '12', email: 'ben@example.com', status: 'ACTIVE' },
  ]);
  const target = (fields: Partial<Target>): Target => ({ given: 'x', source: { input: 'test' }, ...fields });

  it('matches emails case-insensitively', () => {
    expect(matchTarget(target({ email: 'ann@example.com' }), directory, new Map())).toMatchObject({
      kind: 'found',
      user: { id: '11' },
    });
  });

  it('says when an ID and an email name two people, either way round', () => {
    expect(matchTarget(target({ id: '12', email: 'ann@example.com' }), directory, new Map())).toMatchObject({
      kind: 'id-email-mismatch',
      message: expect.stringContaining('ID 11, not 12'),
    });
    expect(
      matchTarget(target({ id: '11', email: 'nobody@example.com' }), directory, new Map()),
    ).toMatchObject({
      kind: 'id-email-mismatch',
      message: expect.stringContaining('has the email Ann@Example.com, not nobody@example.com'),
    });
  });

  it('asks for a profile when an ID is not listed, then decides from it', () => {
    const id = target({ id: '99' });
    expect(matchTarget(id, directory, new Map())).toBeUndefined();
    expect(matchTarget(id, directory, new Map([['99', null]]))).toEqual({ kind: 'not-found' });
    const profile: SmartsheetUser = { id: '99', email: 'far@example.com' };
    expect(matchTarget(id, directory, new Map([['99', profile]]))).toEqual({ kind: 'unlisted', profile });
  });
});

describe('the resolution strategy, counted in the simulator journal', async () => {
  const orgSize = 3000;
  const seed: Seed = {
    tokens: { [ADMIN_TOKEN]: CALLER.id },
    users: [{ ...CALLER, admin: true }],
    generated: { count: orgSize, idStart: '5000000000000000', domain: 'example.com', emailPrefix: 'user' },
  };
  const simulator = await useSimulator(seed);
  const email = (index: number) => `user${String(index).padStart(4, '0')}@example.com`;
  const id = (index: number) => (5000000000000000n + BigInt(index - 1)).toString();
  const spread = (count: number) =>
    Array.from({ length: count }, (_, k) => 1 + Math.floor((k * orgSize) / count));

  async function planCounting(targets: Target[]) {
    simulator.clearJournal();
    const result = await plan(connect(simulator), targets, { maxDeactivations: 10_000 });
    expect(result.entries.every((entry) => entry.outcome === 'would-deactivate')).toBe(true);
    const journal = simulator.journal();
    return {
      list: calls(journal, 'listUsers'),
      getUser: calls(journal, 'getUser').length,
      total: journal.length,
    };
  }

  it('looks up a few emails with one filtered request', async () => {
    const counted = await planCounting(spread(10).map((index) => byEmail(email(index))));
    expect(counted.list).toHaveLength(1);
    expect(counted.list[0]!.query['email']?.split(',')).toHaveLength(10);
    expect(counted.getUser).toBe(0);
  });

  it('60 emails in an organisation of 3000: two list requests', async () => {
    const counted = await planCounting(spread(60).map((index) => byEmail(email(index))));
    expect(counted.list).toHaveLength(2);
    expect(counted.total).toBe(3);
  });

  it('600 emails in an organisation of 3000: pages through everyone in two requests instead of twelve', async () => {
    const counted = await planCounting(spread(600).map((index) => byEmail(email(index))));
    expect(counted.list.map((entry) => entry.query['page'])).toEqual(['1', '2']);
    expect(counted.list.every((entry) => entry.query['email'] === undefined)).toBe(true);
    expect(counted.getUser).toBe(0);
  });

  it('bare IDs: pages when that is cheaper than a profile and a status lookup each', async () => {
    const counted = await planCounting(spread(5).map((index) => byId(id(index))));
    expect(counted.list).toHaveLength(2);
    expect(counted.getUser).toBe(0);
  });
});

describe('targeted lookups when the organisation is too large to page', async () => {
  const orgSize = 12_000;
  const seed: Seed = {
    tokens: { [ADMIN_TOKEN]: CALLER.id },
    users: [{ ...CALLER, admin: true }],
    generated: { count: orgSize, idStart: '6000000000000000', domain: 'example.com', emailPrefix: 'user' },
  };
  const simulator = await useSimulator(seed);

  it('looks at the first page, then asks for each ID and their statuses in one batch', async () => {
    const ids = ['6000000000009000', '6000000000010000', '6000000000011000'];
    simulator.clearJournal();
    const result = await plan(
      connect(simulator),
      ids.map((id) => byId(id)),
    );
    expect(result.entries.map((entry) => [entry.user?.id, entry.outcome])).toEqual(
      ids.map((id) => [id, 'would-deactivate']),
    );
    const journal = simulator.journal();
    expect(calls(journal, 'getUser').map((entry) => entry.userId)).toEqual(expect.arrayContaining(ids));
    const lists = calls(journal, 'listUsers');
    expect(lists.map((entry) => entry.query['page'] ?? 'filter')).toEqual(['1', 'filter']);
    expect(journal).toHaveLength(1 + 1 + 3 + 1);
  });
});

describe('paging an organisation that changes while it is read (hand-made server)', () => {
  // The simulator's organisation only changes through deactivation, which keeps users listed; a user
  // joining or leaving mid-paging, which shifts everyone after them by one place, needs a server of its own.
  const ORG = 4000;
  const person = (index: number): SmartsheetUser => ({
    id: (7000000000000000n + BigInt(index)).toString(),
    email: `member${index}@example.com`,
    status: 'ACTIVE',
  });

  async function orgServer(change: (users: SmartsheetUser[]) => void) {
    let users = Array.from({ length: ORG }, (_, index) => person(index));
    let pagesServed = 0;
    const seen: string[] = [];
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      seen.push(url.pathname + url.search);
      const send = (body: unknown) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (url.pathname === '/2.0/users/me') return send({ ...CALLER, admin: true });
      const emails = url.searchParams.get('email')?.split(',');
      const listed = emails ? users.filter((user) => emails.includes(user.email)) : users;
      const page = Number(url.searchParams.get('page') ?? '1');
      const pageSize = Number(url.searchParams.get('pageSize') ?? '100');
      send({
        pageNumber: page,
        pageSize,
        totalPages: Math.ceil(listed.length / pageSize),
        totalCount: listed.length,
        data: listed.slice((page - 1) * pageSize, page * pageSize),
      });
      // After the first full page is read, someone joins or leaves.
      if (!emails && ++pagesServed === 1) {
        users = [...users];
        change(users);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const { port } = server.address() as AddressInfo;
    const api = createClient({
      token: ADMIN_TOKEN,
      baseUrl: `http://127.0.0.1:${port}/2.0`,
      requestsPerMinute: 60_000,
    });
    return { api, seen };
  }

  // 120 emails cost three filtered requests, the one remaining page one: the planner pages. The first
  // of page 2 shifts onto page 1 when someone leaves; the last of page 2 onto a page 3 when someone joins.
  const indexes = [...Array.from({ length: 119 }, (_, k) => 2000 + k), ORG - 1];
  const targets = indexes.map((index, k) => byEmail(person(index).email, k + 1));

  it.each([
    ['leaves', (users: SmartsheetUser[]) => users.splice(3, 1)],
    ['joins', (users: SmartsheetUser[]) => users.unshift(person(ORG + 1))],
  ])(
    'finds every target when someone %s between pages, never calling a shifted user not-found',
    async (_what, change) => {
      const { api, seen } = await orgServer(change);
      const result = await plan(api, targets, { maxDeactivations: 1000 });
      expect(result.entries.filter((entry) => entry.outcome !== 'would-deactivate')).toEqual([]);
      expect(result.entries.map((entry) => entry.user?.id)).toEqual(indexes.map((index) => person(index).id));
      // It paged first, then asked only about what the changing listing could not vouch for.
      expect(seen.filter((path) => path.includes('page=2&')).length).toBe(1);
    },
  );
});

describe('internationalised domains', async () => {
  const unicode = { id: '8000000000000001', email: 'jane@bücher.de' };
  const ascii = { id: '8000000000000002', email: 'sam@xn--mller-kva.de' };
  const simulator = await useSimulator({
    tokens: { [ADMIN_TOKEN]: CALLER.id },
    users: [{ ...CALLER, admin: true }, unicode, ascii],
  });

  it.each([
    ['Smartsheet holds the Unicode spelling, the file the same', unicode.email, unicode.id],
    ['Smartsheet holds the Unicode spelling, the file punycode', 'jane@xn--bcher-kva.de', unicode.id],
    ['Smartsheet holds punycode, the file Unicode', 'sam@müller.de', ascii.id],
  ])('%s: found', async (_case, given, id) => {
    const normalized = normalizeEmail(given);
    if (!normalized.ok) throw new Error(normalized.problem);
    const target: Target = { email: normalized.value.email, given, source: { input: 'emails' } };
    const result = await plan(connect(simulator), [target], { planDomains: ['bücher.de', 'müller.de'] });
    expect(result.entries.map((entry) => [entry.user?.id, entry.outcome])).toEqual([
      [id, 'would-deactivate'],
    ]);
  });
});

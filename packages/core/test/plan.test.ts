import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Seed } from '@smartsheet-offboard/simulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createClient } from '../src/client.js';
import { decideEntries } from '../src/decide.js';
import { eligibilityContext } from '../src/eligibility.js';
import { normalizeEmail } from '../src/emails.js';
import { SmartsheetApiError } from '../src/errors.js';
import { plan, planDigest } from '../src/plan.js';
import { Directory, EMAIL_BATCH_LIMITS, emailBatches, matchTarget } from '../src/resolve.js';
import type { PlanEntry, SmartsheetUser, Target } from '../src/types.js';
import {
  ADMIN_TOKEN,
  byEmail,
  byId,
  CALLER,
  calls,
  connect,
  everyCaseSeed,
  MEMBER_TOKEN,
  PEOPLE,
  useSimulator,
} from './support/org.js';

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

describe('planDigest', () => {
  const entry = (given: string, outcome: PlanEntry['outcome'], reason?: PlanEntry['reason']): PlanEntry => ({
    target: { id: given, given, source: { input: 'user-ids' } },
    outcome,
    ...(reason && { reason }),
  });
  const entries = [entry('1', 'would-deactivate'), entry('2', 'blocked', 'admin'), entry('3', 'not-found')];

  it('is a sha256 that ignores the order of the targets', () => {
    const digest = planDigest('deactivate', entries);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(planDigest('deactivate', [...entries].reverse())).toBe(digest);
  });

  it('changes when a decision, a reason or the operation changes', () => {
    const digest = planDigest('deactivate', entries);
    expect(planDigest('deactivate', [entry('1', 'blocked', 'over-limit'), ...entries.slice(1)])).not.toBe(
      digest,
    );
    expect(planDigest('deactivate', [entries[0]!, entry('2', 'blocked', 'protected'), entries[2]!])).not.toBe(
      digest,
    );
    expect(planDigest('reactivate', entries)).not.toBe(digest);
    expect(planDigest('deactivate', entries.slice(1))).not.toBe(digest);
  });

  it('ignores messages, which may word the same decision differently', () => {
    const reworded = entries.map((item) => ({ ...item, message: 'said differently' }));
    expect(planDigest('deactivate', reworded)).toBe(planDigest('deactivate', entries));
  });
});

describe('decideEntries (pure)', () => {
  const users: SmartsheetUser[] = [
    { id: '21', email: 'a@example.com', status: 'ACTIVE' },
    { id: '22', email: 'b@example.com', status: 'ACTIVE' },
    { id: '23', email: 'c@example.com', status: 'ACTIVE' },
  ];
  const directory = new Directory(users);
  const decide = (targets: Target[], max: number) =>
    decideEntries(
      'deactivate',
      targets,
      eligibilityContext({}, CALLER),
      (target) => matchTarget(target, directory, new Map())!,
      max,
    );

  it('counts a user named twice once against the limit: one entry naming both targets', () => {
    const entries = decide([byId('21'), byEmail('a@example.com'), byId('22')], 2);
    expect(entries.map((entry) => [entry.user?.id, entry.outcome, entry.alsoNamedBy?.length])).toEqual([
      ['21', 'would-deactivate', 1],
      ['22', 'would-deactivate', undefined],
    ]);
    expect(entries[0]!.alsoNamedBy![0]!.email).toBe('a@example.com');
  });

  it('over the limit, blocks every change with over-limit and a message naming the count and the cap', () => {
    const entries = decide([byId('21'), byId('22'), byId('23'), byEmail('nobody@example.com')], 2);
    expect(entries.map((entry) => [entry.outcome, entry.reason])).toEqual([
      ['blocked', 'over-limit'],
      ['blocked', 'over-limit'],
      ['blocked', 'over-limit'],
      ['not-found', undefined],
    ]);
    expect(entries[0]!.message).toMatch(/3 users, over the limit of 2/);
    expect(entries[0]!.message).toMatch(/max-deactivations/);
  });

  it('reactivation: deactivated users would be reactivated, active ones are already active', () => {
    const reactivation = new Directory([
      { id: '31', email: 'x@example.com', status: 'DEACTIVATED' },
      { id: '32', email: 'y@example.com', status: 'ACTIVE' },
      { id: '33', email: 'z@example.com', status: 'PENDING' },
    ]);
    const entries = decideEntries(
      'reactivate',
      [byId('31'), byId('32'), byId('33')],
      eligibilityContext({}, CALLER),
      (target) => matchTarget(target, reactivation, new Map())!,
      25,
    );
    expect(entries.map((entry) => [entry.outcome, entry.reason])).toEqual([
      ['would-reactivate', undefined],
      ['already-active', undefined],
      ['blocked', 'not-active'],
    ]);
  });
});

describe('plan over HTTP against the simulator', async () => {
  const simulator = await useSimulator(everyCaseSeed());
  const options = { planDomains: ['example.com'], protectedUsers: [PEOPLE.protectedUser.id] };

  it('decides every case, resolving in three requests', async () => {
    simulator.clearJournal();
    const targets: Target[] = [
      byEmail(PEOPLE.jane.email, 1),
      byId(PEOPLE.big.id, 2),
      byEmail(PEOPLE.isp.email, 3),
      byEmail(PEOPLE.outside.email, 4),
      byEmail(PEOPLE.directory.email, 5),
      byId(PEOPLE.external.id, 6),
      byEmail(PEOPLE.notMember.email, 7),
      byEmail(CALLER.email, 8),
      byId(PEOPLE.otherAdmin.id, 9),
      byEmail(PEOPLE.groupAdmin.email, 10),
      byEmail(PEOPLE.protectedUser.email, 11),
      byId(PEOPLE.gone.id, 12),
      byEmail(PEOPLE.pending.email, 13),
      byEmail('nobody@example.com', 14),
      byId('3000000000000001', 15),
    ];
    const result = await plan(connect(simulator), targets, options);

    expect(result.caller).toEqual(CALLER);
    expect(result.operation).toBe('deactivate');
    expect(result.entries.map((entry) => [entry.target.given, entry.outcome, entry.reason])).toEqual([
      [PEOPLE.jane.email, 'would-deactivate', undefined],
      [PEOPLE.big.id, 'would-deactivate', undefined],
      [PEOPLE.isp.email, 'blocked', 'isp-domain'],
      [PEOPLE.outside.email, 'blocked', 'outside-plan-domains'],
      // Only Smartsheet knows who its directory manages, who is external or not a member: apply finds out.
      [PEOPLE.directory.email, 'would-deactivate', undefined],
      [PEOPLE.external.id, 'would-deactivate', undefined],
      [PEOPLE.notMember.email, 'would-deactivate', undefined],
      [CALLER.email, 'blocked', 'self'],
      [PEOPLE.otherAdmin.id, 'blocked', 'admin'],
      [PEOPLE.groupAdmin.email, 'blocked', 'admin'],
      [PEOPLE.protectedUser.email, 'blocked', 'protected'],
      [PEOPLE.gone.id, 'already-deactivated', undefined],
      [PEOPLE.pending.email, 'blocked', 'not-active'],
      ['nobody@example.com', 'not-found', undefined],
      ['3000000000000001', 'not-found', undefined],
    ]);
    // The 64-bit ID survives exactly, and the user's email comes from Smartsheet.
    expect(result.entries[1]!.user).toMatchObject({ id: PEOPLE.big.id, email: PEOPLE.big.email });
    for (const entry of result.entries.filter((item) => item.outcome !== 'would-deactivate')) {
      if (entry.outcome !== 'already-deactivated') expect(entry.message).toEqual(expect.any(String));
    }
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // /users/me, one page of the (small) organisation, and one profile for the unknown ID.
    const journal = simulator.journal();
    expect(journal.map((entry) => entry.endpoint)).toEqual(['getCurrentUser', 'listUsers', 'getUser']);
    expect(calls(journal, 'getUser')[0]!.userId).toBe('3000000000000001');
    expect(calls(journal, 'deactivateUser')).toHaveLength(0);
    expect(JSON.stringify(result)).not.toContain(ADMIN_TOKEN);
  });

  it('holds every change while an entry gives the ID of one person and the email of another', async () => {
    const mismatch: Target = {
      id: PEOPLE.jane.id,
      email: PEOPLE.bob.email,
      given: PEOPLE.jane.id,
      source: { file: 'offboarding/mixed-up.yaml', line: 7 },
    };
    const result = await plan(
      connect(simulator),
      [byId(PEOPLE.big.id), mismatch, byId(PEOPLE.gone.id)],
      options,
    );
    expect(result.entries.map((entry) => [entry.outcome, entry.reason])).toEqual([
      ['blocked', 'plan-invalid'],
      ['blocked', 'id-email-mismatch'],
      ['already-deactivated', undefined],
    ]);
    expect(result.entries[1]!.message).toContain(
      `${PEOPLE.bob.email} belongs to the Smartsheet user with ID ${PEOPLE.bob.id}`,
    );
    expect(result.entries[0]!.message).toContain(
      `Nothing will be deactivated while an entry is invalid: ${PEOPLE.jane.id} (offboarding/mixed-up.yaml line 7)`,
    );
  });

  it('gives the same digest whatever the order of the targets', async () => {
    const targets = [byEmail(PEOPLE.jane.email), byId(PEOPLE.gone.id), byEmail(PEOPLE.isp.email)];
    const api = connect(simulator);
    const forward = await plan(api, targets, options);
    const backward = await plan(api, [...targets].reverse(), options);
    expect(backward.digest).toBe(forward.digest);
    const protectingJane = await plan(api, targets, { ...options, protectedUsers: [PEOPLE.jane.email] });
    expect(protectingJane.digest).not.toBe(forward.digest);
  });

  it('refuses a token whose user is not a System Admin, before looking anyone up', async () => {
    simulator.clearJournal();
    const attempt = plan(connect(simulator, { token: MEMBER_TOKEN }), [byEmail(PEOPLE.jane.email)]);
    await expect(attempt).rejects.toBeInstanceOf(SmartsheetApiError);
    await expect(attempt).rejects.toThrow(/bob@example.com .* is not a System Admin.*ADMIN_USERS/);
    expect(simulator.journal().map((entry) => entry.endpoint)).toEqual(['getCurrentUser']);
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

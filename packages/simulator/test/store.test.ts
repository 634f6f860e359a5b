import { describe, expect, it } from 'vitest';
import { ISP_DOMAINS } from '../src/errors.js';
import { buildOrg } from '../src/seed.js';
import { UserStore } from '../src/store.js';
import { IDS, NOW, testSeed } from './helpers.js';

// The store answers without a socket: these tests call it directly.
function store(now = () => NOW): UserStore {
  return new UserStore(buildOrg(testSeed(), NOW, ISP_DOMAINS), now);
}

function listedIds(answer: Record<string, unknown>): string[] {
  return (answer.data as { id: { digits: string } }[]).map((user) => user.id.digits);
}

describe('UserStore', () => {
  it('pages the list in seed order and answers a page past the end with the last page', () => {
    const users = store();
    const admin = () => users.get(IDS.admin)!;
    const first = users.list(admin(), new URLSearchParams('pageSize=4'));
    expect(first).toMatchObject({ pageNumber: 1, pageSize: 4, totalPages: 4, totalCount: 15 });
    expect(listedIds(first as Record<string, unknown>)).toEqual([IDS.admin, IDS.plain, IDS.carol, IDS.isp]);
    const past = users.list(admin(), new URLSearchParams('pageSize=4&page=99'));
    expect(past).toMatchObject({ pageNumber: 4 });
    expect(listedIds(past as Record<string, unknown>)).toEqual([IDS.groupAdmin, IDS.big, IDS.unsafe]);
  });

  it('filters by email case-insensitively, in seed order, and refuses bad paging parameters', () => {
    const users = store();
    const admin = () => users.get(IDS.admin)!;
    const found = users.list(
      admin(),
      new URLSearchParams({ email: 'BOB@example.com,carol.case@example.com' }),
    );
    expect(listedIds(found as Record<string, unknown>)).toEqual([IDS.plain, IDS.carol]);
    expect(users.list(admin(), new URLSearchParams('pageSize=2001'))).toMatchObject({ errorCode: 1229 });
    expect(users.list(admin(), new URLSearchParams('page=x'))).toMatchObject({ errorCode: 1018 });
  });

  it('changes status with the rules, stamps the time, and reset brings back the seed', () => {
    let clock = NOW;
    const users = store(() => clock);
    const admin = () => users.get(IDS.admin)!;
    clock += 1000;
    expect(users.changeStatus('deactivate', admin(), IDS.plain)).toEqual({
      message: 'SUCCESS',
      resultCode: 0,
    });
    expect(users.get(IDS.plain)).toMatchObject({ status: 'DEACTIVATED', deactivatedAt: NOW + 1000 });
    expect(users.changeStatus('deactivate', admin(), IDS.isp)).toMatchObject({ errorCode: 1359 });
    expect(users.counts()).toMatchObject({ ACTIVE: 11, DEACTIVATED: 3, PENDING: 1 });
    users.reset();
    expect(users.get(IDS.plain)?.status).toBe('ACTIVE');
    expect(users.states().find((user) => user.id === IDS.deactivatedLongAgo)?.deactivatedAt).toBe(
      new Date(NOW - 31 * 86_400_000).toISOString(),
    );
  });
});

import type { Seed } from '@smartsheet-offboard/simulator';

const ADMIN_ID = '1000000000000001';

/**
 * An organisation of one System Admin (acting with `token`) and `count` ordinary users on
 * example.com, free to deactivate, with IDs counting up from `firstId`.
 */
export function leaversOrg(token: string, count: number, firstId: bigint) {
  const leavers = Array.from({ length: count }, (_, index) => ({
    id: String(firstId + BigInt(index)),
    email: `leaver${index}@example.com`,
  }));
  const seed: Seed = {
    planDomains: ['example.com'],
    tokens: { [token]: ADMIN_ID },
    users: [{ id: ADMIN_ID, email: 'it.admin@example.com', admin: true }, ...leavers],
  };
  return { leavers, seed };
}

import type { Seed } from '@smartsheet-offboard/simulator';

export const DOMAIN = 'example.com';

/** The System Admin every test run acts as: one definition, so every seed agrees on who "self" is. */
export const CALLER = { id: '1000000000000001', email: `it.admin@${DOMAIN}` } as const;

/** The caller as a seed user: a System Admin. */
export const CALLER_USER = { ...CALLER, admin: true } as const;

/** People each of whom must never be deactivated, for a different reason. */
export const UNTOUCHABLE = {
  isp: { id: '7000000000000001', email: 'joe@gmail.com' },
  admin: { id: '7000000000000002', email: `other.admin@${DOMAIN}`, admin: true },
  protected: { id: '7000000000000003', email: `ceo@${DOMAIN}` },
  outside: { id: '7000000000000004', email: 'partner@elsewhere.org' },
} as const;

const FIRST_ID = 3_000_000_000_000_001n;

/** The `index`-th (0-based) of the generated users: IDs step by 7 so a rounding error names nobody real. */
export function member(index: number, count: number): { id: string; email: string } {
  return {
    id: (FIRST_ID + 7n * BigInt(index)).toString(),
    email: `user${String(index + 1).padStart(String(count).length, '0')}@${DOMAIN}`,
  };
}

export function members(count: number): { id: string; email: string }[] {
  return Array.from({ length: count }, (_, index) => member(index, count));
}

/** An org of `count` generated members plus the caller (acting with `token`) and the untouchables. */
export function generatedOrgSeed(count: number, token: string): Seed {
  return {
    planDomains: [DOMAIN],
    tokens: { [token]: CALLER.id },
    users: [CALLER_USER, ...Object.values(UNTOUCHABLE)],
    generated: { count, domain: DOMAIN, idStart: FIRST_ID, idStep: 7 },
  };
}

/**
 * An organisation of the caller (acting with `token`) and `count` ordinary users on example.com, free
 * to deactivate, with IDs counting up from `firstId`.
 */
export function leaversOrg(token: string, count: number, firstId: bigint) {
  const leavers = Array.from({ length: count }, (_, index) => ({
    id: String(firstId + BigInt(index)),
    email: `leaver${index}@${DOMAIN}`,
  }));
  const seed: Seed = {
    planDomains: [DOMAIN],
    tokens: { [token]: CALLER.id },
    users: [CALLER_USER, ...leavers],
  };
  return { leavers, seed };
}

import type { Seed } from '@smartsheet-offboard/simulator';
import { CALLER, CALLER_USER } from '@smartsheet-offboard/testkit/orgs';

/** A secret even in tests: no output, summary, comment or log may show it. */
export const SMARTSHEET_TOKEN = 'action-test-token-5d1e8b7a9c';

export const PEOPLE = {
  jane: { id: '4583173393803140', email: 'jane.doe@example.com' },
  /** Above 2^53: a JavaScript number would name someone else. */
  big: { id: '48569348493401201', email: 'big.id@example.com' },
  sam: { id: '2000000000000002', email: 'sam.lee@example.com' },
  isp: { id: '2000000000000003', email: 'joe@gmail.com' },
  gone: { id: '2000000000000004', email: 'gone@example.com' },
} as const;

/** A small organisation with one case of each outcome the action reports. */
export function orgSeed(): Seed {
  return {
    planDomains: ['example.com'],
    tokens: { [SMARTSHEET_TOKEN]: CALLER.id },
    users: [
      CALLER_USER,
      PEOPLE.jane,
      PEOPLE.big,
      PEOPLE.sam,
      PEOPLE.isp,
      { ...PEOPLE.gone, status: 'DEACTIVATED' },
    ],
  };
}

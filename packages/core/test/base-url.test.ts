import { describe, expect, it } from 'vitest';
import { SmartsheetApiError } from '../src/errors.js';
import { plan } from '../src/plan.js';
import { connect, everyCaseSeed, PEOPLE, useSimulator } from './support/org.js';

describe('a base URL that is not an API', () => {
  it('a 404 on /users/me says the base URL is wrong, not that a user is missing', async () => {
    const simulator = await useSimulator(everyCaseSeed());
    const withoutVersion = simulator.url.replace(/\/2\.0\/?$/, '');
    expect(withoutVersion).not.toBe(simulator.url);
    const error = await plan(connect(simulator, { baseUrl: withoutVersion }), [
      { id: PEOPLE.jane.id, given: PEOPLE.jane.id, source: { input: 'user-ids' } },
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmartsheetApiError);
    const { info } = error as SmartsheetApiError;
    expect(info.message).toMatch(/not a Smartsheet API base URL/);
    expect(info.remediation).toMatch(/end in \/2\.0/);
    expect(`${info.message} ${info.remediation}`).not.toMatch(/ID or email/);
  });
});

import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { leaksToken } from './secret.js';

/**
 * Records something a run made visible for the suite-wide token sweep, and checks it at once so a
 * leak fails the test that caused it.
 */
export async function collect(label: string, text: string): Promise<void> {
  await appendFile(join(inject('outputsDir'), `outputs-${process.pid}.log`), `--- ${label}\n${text}\n`);
  expect(leaksToken(text), `the token appears in ${label}`).toBe(false);
}

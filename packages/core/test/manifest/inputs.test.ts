import { describe, expect, it } from 'vitest';
import { targetsFromInputs } from '../../src/manifest/index.js';
import { BIG_ID } from './support.js';

describe('targetsFromInputs', () => {
  it('splits on commas and newlines, trims, ignores empties and records each position', () => {
    const { targets, findings } = targetsFromInputs({
      userIds: [`4583173393803140, ${BIG_ID}\n`, ''],
      emails: ['Jane@Example.com,,\n sam@example.com'],
    });
    expect(findings).toEqual([]);
    expect(targets).toEqual([
      { id: '4583173393803140', given: '4583173393803140', source: { input: 'userIds', position: 1 } },
      { id: BIG_ID, given: BIG_ID, source: { input: 'userIds', position: 2 } },
      { email: 'jane@example.com', given: 'Jane@Example.com', source: { input: 'emails', position: 1 } },
      { email: 'sam@example.com', given: 'sam@example.com', source: { input: 'emails', position: 2 } },
    ]);
  });

  it('names the input and position of each bad value, using the names it is given', () => {
    const names = { userIds: '--user-id', emails: '--email' };
    const { targets, findings } = targetsFromInputs(
      { userIds: ['1', '1e5', 'jane@example.com'], emails: ['4583173393803140', 'jane@gmаil.com'] },
      names,
    );
    expect(targets).toHaveLength(1);
    expect(findings).toEqual([
      {
        source: 'input',
        file: '--user-id',
        line: 2,
        code: 'malformed-id',
        message: expect.stringMatching(/"1e5" is not a user ID/),
      },
      {
        source: 'input',
        file: '--user-id',
        line: 3,
        code: 'malformed-id',
        message: expect.stringMatching(/looks like an email.*give emails in --email$/),
      },
      {
        source: 'input',
        file: '--email',
        line: 1,
        code: 'malformed-email',
        message: expect.stringMatching(/has no @; give user IDs in --user-id$/),
      },
      {
        source: 'input',
        file: '--email',
        line: 2,
        code: 'malformed-email',
        message: expect.stringMatching(/looks like gmail\.com/),
      },
    ]);
  });

  it('refuses the same user twice within the inputs', () => {
    const { targets, findings } = targetsFromInputs({ userIds: ['4583173393803140,4583173393803140'] });
    expect(targets).toHaveLength(1);
    expect(findings).toEqual([
      {
        source: 'input',
        file: 'userIds',
        line: 2,
        code: 'duplicate',
        message:
          '"4583173393803140" names a user already listed ("4583173393803140" at position 1): list each user once',
      },
    ]);
  });

  it('gives nothing for no input', () => {
    expect(targetsFromInputs({})).toEqual({ targets: [], findings: [] });
  });
});

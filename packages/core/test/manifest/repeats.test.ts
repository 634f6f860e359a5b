import { describe, expect, it } from 'vitest';
import { crossCheckTargets, parseOffboardingFile } from '../../src/manifest/index.js';
import type { Target } from '../../src/types.js';
import { BIG_ID } from './support.js';

describe('crossCheckTargets', () => {
  const fromFile = (file: string, line: number, fields: Partial<Target>): Target => ({
    given: (fields.id ?? fields.email)!,
    source: { file, line },
    ...fields,
  });

  it('finds nothing when every target is distinct', () => {
    expect(
      crossCheckTargets([
        fromFile('a.yaml', 2, { id: '1' }),
        fromFile('b.yaml', 2, { id: '2', email: 'b@example.com' }),
        fromFile('b.yaml', 3, { email: 'c@example.com' }),
      ]),
    ).toEqual([]);
  });

  it('reports the same ID or email twice at the second place, naming the first', () => {
    const findings = crossCheckTargets([
      fromFile('offboarding/a.yaml', 4, { id: BIG_ID }),
      fromFile('offboarding/b.csv', 7, { id: BIG_ID, email: 'joe@example.com' }),
      fromFile('offboarding/b.csv', 9, { email: 'sam@example.com' }),
      { email: 'sam@example.com', given: 'Sam@example.com', source: { input: 'emails', position: 3 } },
    ]);
    expect(findings).toEqual([
      {
        source: 'file',
        file: 'offboarding/b.csv',
        line: 7,
        code: 'duplicate',
        message: `"${BIG_ID}" names a user already listed ("${BIG_ID}" at offboarding/a.yaml line 4): list each user once`,
      },
      {
        source: 'input',
        file: 'emails',
        line: 3,
        code: 'duplicate',
        message:
          '"Sam@example.com" names a user already listed ("sam@example.com" at offboarding/b.csv line 9): list each user once',
      },
    ]);
  });

  it('reports one ID given with two different emails, and one email with two IDs, as conflicts', () => {
    const findings = crossCheckTargets([
      fromFile('a.yaml', 2, { id: '1', email: 'one@example.com' }),
      fromFile('b.yaml', 5, { id: '1', email: 'uno@example.com' }),
      fromFile('a.yaml', 3, { id: '2', email: 'two@example.com' }),
      { id: '3', email: 'two@example.com', given: '3', source: { input: 'userIds' } },
    ]);
    expect(findings).toEqual([
      {
        source: 'file',
        file: 'b.yaml',
        line: 5,
        code: 'conflict',
        message:
          'User ID 1 is given here with the email uno@example.com but with one@example.com at a.yaml line 2: one ID is one person; fix the ID or the email',
      },
      {
        source: 'input',
        file: 'userIds',
        line: 1,
        code: 'conflict',
        message:
          'two@example.com is given here with the user ID 3 but with 2 at a.yaml line 3: one email is one person; fix the ID or the email',
      },
    ]);
  });

  it('does not report again what one file already reported', () => {
    const file = parseOffboardingFile('a.txt', '4583173393803140\n4583173393803140\n');
    expect(file.findings.map((finding) => finding.code)).toEqual(['duplicate']);
    expect(crossCheckTargets(file.targets)).toEqual([]);
  });
});

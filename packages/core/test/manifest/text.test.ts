import { describe, expect, it } from 'vitest';
import { messageAt, parseFixture, where } from './support.js';

describe('parseOffboardingFile: plain text', () => {
  it('reports every problem at once, each at its line', () => {
    const { targets, findings } = parseFixture('hostile.txt');
    expect(where(findings)).toEqual([
      [3, 'malformed-entry'],
      [4, 'malformed-id'],
      [5, 'malformed-id'],
      [6, 'malformed-entry'],
      [7, 'malformed-email'],
      [9, 'duplicate'],
    ]);
    expect(messageAt(findings, 3)).toMatch(/holds more than one value: write one ID or email per line/);
    expect(messageAt(findings, 7)).toMatch(/looks like gmail\.com/);
    expect(targets).toEqual([
      {
        id: '4583173393803140',
        given: '4583173393803140',
        source: { file: 'offboarding/hostile.txt', line: 8 },
      },
    ]);
  });
});

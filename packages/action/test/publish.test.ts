import { describe, expect, it } from 'vitest';
import { escapeLog, mergeReports } from '../src/publish.js';

describe('escapeLog', () => {
  it.each([
    ['x\n::warning title=pwned::injected', 'x :\u200b:warning title=pwned:\u200b:injected'],
    ['::add-mask::secret', ':\u200b:add-mask:\u200b:secret'],
    ['a\r\n::stop-commands::t', 'a :\u200b:stop-commands:\u200b:t'],
    ['a\u2028b\u0085c', 'a b c'],
    ['jane.doe@example.com (ID 1): Deactivated', 'jane.doe@example.com (ID 1): Deactivated'],
  ])('keeps %j from starting a workflow command', (text, expected) => {
    expect(escapeLog(text)).toBe(expected);
    expect(escapeLog(text).split('\n')).toHaveLength(1);
  });
});

describe('mergeReports', () => {
  it('adds the summaries and keeps every result in order', () => {
    const merged = mergeReports([
      {
        mode: 'apply',
        planDigest: 'sha256:a',
        summary: { deactivated: 1, blocked: 0 },
        results: [{ given: 'a', outcome: 'deactivated' }],
      },
      {
        mode: 'apply',
        planDigest: 'sha256:b',
        summary: { deactivated: 2, blocked: 1 },
        results: [{ given: 'b', outcome: 'blocked' }],
      },
    ]);
    expect(merged).toEqual({
      mode: 'apply',
      summary: { deactivated: 3, blocked: 1 },
      results: [
        { given: 'a', outcome: 'deactivated' },
        { given: 'b', outcome: 'blocked' },
      ],
    });
  });
});

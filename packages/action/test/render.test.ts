import type { Report } from '@smartsheet-offboard/core';
import { describe, expect, it } from 'vitest';
import {
  escapeMessage,
  escapeText,
  lineUrl,
  type RenderInput,
  renderMarkdown,
  renderWithin,
} from '../src/render.js';
import { COMMENT_MARKER, readMarkers } from '../src/reviewed-plan.js';

const links = { serverUrl: 'https://github.com', owner: 'acme', repo: 'people', sha: 'abc123' };

const planReport: Report = {
  mode: 'plan',
  planDigest: 'sha256:0123abcd',
  summary: { 'would-deactivate': 1, 'already-deactivated': 1, blocked: 1, 'not-found': 0 },
  results: [
    {
      id: '48569348493401200',
      email: 'joe@gmail.com',
      given: 'joe@gmail.com',
      outcome: 'blocked',
      reason: 'isp-domain',
      message: 'gmail.com is an ISP domain',
      source: { file: 'offboarding/b.yaml', line: 4 },
    },
    {
      id: '4583173393803140',
      email: 'jane.doe@example.com',
      given: 'jane.doe@example.com',
      outcome: 'would-deactivate',
      source: { file: 'offboarding/b.yaml', line: 2 },
      note: { ticket: 'HR-1234', reason: 'Left the company' },
    },
    {
      id: '1',
      email: 'sam@example.com',
      given: '1',
      outcome: 'already-deactivated',
      source: { input: 'user-ids' },
    },
  ],
};

function input(overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    mode: 'plan',
    report: planReport,
    maxDeactivations: 25,
    notes: [],
    failed: true,
    links,
    ...overrides,
  };
}

describe('escapeText', () => {
  it.each([
    ['a | b', 'a &#124; b'],
    ['<img src=x onerror=alert(1)>', '&#60;img src=x onerror=alert(1)&#62;'],
    ['`code`', '&#96;code&#96;'],
    ['[click](https://evil.example)', '&#91;click&#93;(https:\u200b//evil.example)'],
    ['ping @octocat and @acme/admins', 'ping @\u200boctocat and @\u200bacme/admins'],
    ['see #12 and acme/repo#3', 'see #\u200b12 and acme/repo#\u200b3'],
    ['visit www.evil.example', 'visit www\u200b.evil.example'],
    ['line\nbreak\r\n| x |', 'line break &#124; x &#124;'],
    [
      '**bold** _it_ ~s~ ![i](x) \\',
      '&#42;&#42;bold&#42;&#42; &#95;it&#95; &#126;s&#126; &#33;&#91;i&#93;(x) &#92;',
    ],
    ['a\u202eevil\u0000', 'a\ufffdevil\ufffd'],
    ['AT&T', 'AT&#38;T'],
    ['fixes GH-12 and gh-3', 'fixes GH\u200b-12 and gh\u200b-3'],
    ['a\u061cb\u2028c\u0085d\u2029e', 'a\ufffdb c d e'],
  ])('neutralises %j', (text, expected) => {
    expect(escapeText(text)).toBe(expected);
  });

  it('keeps an email address readable and free of mentions', () => {
    expect(escapeText('jane.doe@example.com')).toBe('jane.doe@example.com');
  });

  it('clips long text', () => {
    expect(escapeText('x'.repeat(300))).toBe(`${'x'.repeat(200)}…`);
  });
});

describe('escapeMessage', () => {
  it("keeps the reference to the run's pull request live and escapes everything else", () => {
    expect(escapeMessage('Pull request #7 touches [x](https://evil.example) <img src=x> @everyone', 7)).toBe(
      'Pull request #7 touches &#91;x&#93;(https:\u200b//evil.example) &#60;img src=x&#62; @\u200beveryone',
    );
  });

  it.each([
    ['another pull request', 'see #8', 'see #\u200b8'],
    ['a longer number', 'see #70', 'see #\u200b70'],
    ['a cross-repository reference', 'acme/other#7', 'acme/other#\u200b7'],
  ])('leaves %s inert', (_, text, expected) => {
    expect(escapeMessage(text, 7)).toBe(expected);
  });

  it('keeps every reference inert without a pull request', () => {
    expect(escapeMessage('Pull request #7', undefined)).toBe('Pull request #\u200b7');
  });
});

describe('lineUrl', () => {
  it('links to the line of the file at the commit, encoding the path', () => {
    expect(lineUrl(links, 'offboarding/a b (1).yaml', 3)).toBe(
      'https://github.com/acme/people/blob/abc123/offboarding/a%20b%20%281%29.yaml#L3',
    );
  });
});

describe('renderMarkdown', () => {
  it('renders counts, the cap, the digest and a table per file with inputs last', () => {
    const markdown = renderMarkdown(input({ runUrl: 'https://github.com/acme/people/actions/runs/1' }));
    expect(markdown).toBe(
      [
        '### ❌ Smartsheet offboarding plan',
        '',
        '| would-deactivate | already-deactivated | blocked | not-found |',
        '| ---: | ---: | ---: | ---: |',
        '| 1 | 1 | 1 | 0 |',
        '',
        'Safety cap: at most 25 deactivations per run (this run: 1). Plan digest: `sha256:0123abcd`.',
        '',
        '#### offboarding/b.yaml',
        '',
        '| Line | User | Outcome | Reason | Ticket / note |',
        '| ---: | --- | --- | --- | --- |',
        '| [2](https://github.com/acme/people/blob/abc123/offboarding/b.yaml#L2) | jane.doe@example.com<br>4583173393803140 | `would-deactivate` |  | HR-1234: Left the company |',
        '| [4](https://github.com/acme/people/blob/abc123/offboarding/b.yaml#L4) | joe@gmail.com<br>48569348493401200 | `blocked` | `isp-domain` gmail.com is an ISP domain |  |',
        '',
        '#### Given as inputs',
        '',
        '| Input | User | Outcome | Reason | Ticket / note |',
        '| ---: | --- | --- | --- | --- |',
        '| user-ids | sam@example.com<br>1 | `already-deactivated` |  |  |',
        '',
        '<sub>[Workflow run](https://github.com/acme/people/actions/runs/1)</sub>',
        '',
      ].join('\n'),
    );
  });

  it('one person named in two places is one row, listing the other place', () => {
    const markdown = renderMarkdown(
      input({
        report: {
          mode: 'plan',
          summary: { 'would-deactivate': 1 },
          results: [
            {
              id: '4583173393803140',
              email: 'jane.doe@example.com',
              given: 'jane.doe@example.com',
              outcome: 'would-deactivate',
              source: { file: 'offboarding/a.yaml', line: 2 },
              sources: [
                { file: 'offboarding/a.yaml', line: 2 },
                { file: 'offboarding/b.yaml', line: 5 },
                { input: 'user-ids', position: 1 },
              ],
            },
          ],
        },
      }),
    );
    const rows = markdown.split('\n').filter((line) => line.includes('jane.doe@example.com'));
    expect(rows).toEqual([
      '| [2](https://github.com/acme/people/blob/abc123/offboarding/a.yaml#L2)<br>also [offboarding/b.yaml:5](https://github.com/acme/people/blob/abc123/offboarding/b.yaml#L5)<br>also user-ids | jane.doe@example.com<br>4583173393803140 | `would-deactivate` |  |  |',
    ]);
  });

  it('escapes user text in every cell', () => {
    const hostile: Report = {
      mode: 'plan',
      summary: { 'not-found': 1 },
      results: [
        {
          given: '@octocat',
          outcome: 'not-found',
          message: 'no user <b>@octocat</b>',
          source: { file: 'offboarding/|evil|.yaml', line: 1 },
          note: { ticket: '`x`', reason: '[x](https://evil.example) | @acme/all' },
        },
      ],
    };
    const markdown = renderMarkdown(input({ report: hostile, links: undefined }));
    expect(markdown).not.toMatch(/<b>|(?<![A-Za-z0-9])@(?!\u200b)|https:\/\/|\[x\]/);
    const row = markdown.split('\n').find((line) => line.includes('`not-found`'))!;
    // Five cells between six pipes: the escaped pipes did not add columns.
    expect(row.split('|')).toHaveLength(7);
    expect(markdown).toContain('#### offboarding/&#124;evil&#124;.yaml');
  });

  it('shows notes and findings, and no cap when validating offline', () => {
    const markdown = renderMarkdown({
      mode: 'validate',
      maxDeactivations: 25,
      failed: true,
      notes: ['No Smartsheet token: the files were validated offline.'],
      report: {
        mode: 'validate',
        summary: {},
        results: [],
        findings: [
          {
            source: 'file',
            file: 'offboarding/a.csv',
            line: 3,
            code: 'malformed-email',
            message: 'not an email: x@',
          },
        ],
      },
      links,
    });
    expect(markdown).toContain('### ❌ Smartsheet offboarding: files validated offline');
    expect(markdown).toContain('No Smartsheet token: the files were validated offline.');
    expect(markdown).toContain(
      '- [offboarding/a.csv line 3](https://github.com/acme/people/blob/abc123/offboarding/a.csv#L3): not an email: x@ (`malformed-email`)',
    );
    expect(markdown).not.toContain('Safety cap');
  });

  it('keeps problems first when rows must be left out', () => {
    const markdown = renderMarkdown(input({ maxRows: 1 }));
    expect(markdown).toContain('`blocked`');
    expect(markdown).not.toContain('`would-deactivate`');
    expect(markdown).toContain(
      '2 more users are not shown here (problems are shown first); the JSON report lists every one: ' +
        'the `report` output and the file at `report-path`.',
    );
  });
});

describe('comment markers', () => {
  const record = `v1.${'A'.repeat(20)}.${'B'.repeat(43)}`;
  const settled = `sha256:${'cd'.repeat(32)}`;
  const planted = `v1.${'C'.repeat(20)}.${'D'.repeat(43)}`;
  const marker = (encoded: string) => `<!-- smartsheet-offboard:reviewed-plan ${encoded} -->`;

  it('writes the record and the settled digest first, and reads them back', () => {
    const markdown = renderMarkdown(input({ markers: { record, settled } }));
    expect(
      markdown.startsWith(`${marker(record)}\n<!-- smartsheet-offboard:settled-digest ${settled} -->\n### `),
    ).toBe(true);
    expect(readMarkers(markdown)).toEqual({ record, settled });
    expect(readMarkers(`${COMMENT_MARKER}\n${markdown}`)).toEqual({ record, settled });
    expect(readMarkers(renderMarkdown(input({})))).toEqual({});
  });

  it('neutralises a marker in a reason from a file, and believes markers only at the top', () => {
    const report: Report = {
      ...planReport,
      results: planReport.results.map((result) => ({
        ...result,
        note: { reason: `x\n${marker(planted)}\n`, ticket: marker(planted) },
      })),
    };
    const markdown = renderMarkdown(
      input({ report, markers: { record }, notes: [escapeText(`\n${marker(planted)}`)] }),
    );
    expect(markdown).not.toContain(`<!-- smartsheet-offboard:reviewed-plan ${planted}`);
    expect(markdown.match(/<!--/g)).toEqual(['<!--']);
    expect(readMarkers(markdown)).toEqual({ record });
    expect(readMarkers(`### ✅ Smartsheet offboarding plan\n${marker(planted)}\n`)).toEqual({});
  });
});

describe('renderWithin', () => {
  it('stays under a size limit in bytes by leaving rows out, and shows every row when they fit', () => {
    const results = Array.from({ length: 2000 }, (_, i) => ({
      id: String(1000 + i),
      email: `user${i}@example.com`,
      given: String(1000 + i),
      outcome: 'would-deactivate' as const,
      source: { file: 'offboarding/big.txt', line: i + 1 },
    }));
    const report: Report = { mode: 'plan', summary: { 'would-deactivate': 2000 }, results };
    const body = renderWithin(input({ report }), 20_000);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(20_000);
    expect(body).toMatch(/\d+ more users are not shown here/);
    expect(renderMarkdown(input({ report })).length).toBeGreaterThan(20_000);
    const everything = renderWithin(input({ report }), 1_000_000);
    expect(everything).not.toContain('more users are not shown');
    expect(everything).toContain('user1999@example.com');
  });
});

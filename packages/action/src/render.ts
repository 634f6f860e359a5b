import {
  type DriftedUser,
  type Finding,
  PROBLEM_OUTCOMES,
  type Report,
  type ReportResult,
  summaryOutcomes,
  type TargetSource,
} from '@smartsheet-offboard/core';
import { type CommentMarkers, markerLines } from './reviewed-plan.js';

/**
 * Makes text from offboarding files and pull requests (reasons, tickets, emails, file names) inert in
 * GitHub markdown: no HTML, no table breaks, no code spans or links, no @-mentions or #-references
 * that would notify people, and no control or bidirectional-override characters that hide text.
 */
export function escapeText(text: string, maxLength = 200): string {
  const clipped = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  return (
    clipped
      .replace(/[\r\n\t\u0085\u2028\u2029]+/g, ' ')
      .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\ufffd')
      // A zero-width space after `@` and `#` stops mentions and cross-references (also GitHub's `GH-1` form);
      // in `://` and `www.`, autolinks.
      .replace(/(?<![A-Za-z0-9])@/g, '@\u200b')
      .replace(/#(?=\w)/g, '#\u200b')
      .replace(/\b(GH)-(?=\d)/gi, '$1\u200b-')
      .replace(/:\/\//g, ':\u200b//')
      .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}\u200b.`)
      .replace(/[&<>|`[\]\\*_~!]/g, (char) => `&#${char.charCodeAt(0)};`)
  );
}

/**
 * `escapeText` for the action's own sentences that may carry text from events (file paths, branch names,
 * error messages): only the reference to the run's pull request, built from GitHub's number, stays live,
 * and only where it stands as a word of its own, so `owner/repo#7` in a file path stays inert.
 */
export function escapeMessage(text: string, pullNumber?: number): string {
  const escaped = escapeText(text, 2000);
  if (pullNumber === undefined) return escaped;
  return escaped.replace(new RegExp(`(?<=^|\\s)#\u200b${pullNumber}(?!\\w)`, 'g'), `#${pullNumber}`);
}

/** Where a file line can be linked to: `{serverUrl}/{owner}/{repo}/blob/{sha}/{path}#L{line}`. */
export interface SourceLinks {
  serverUrl: string;
  owner: string;
  repo: string;
  sha: string;
}

export function lineUrl(links: SourceLinks, file: string, line: number): string {
  const path = file
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[()!*']/g, (c) => `%${c.charCodeAt(0).toString(16)}`),
    )
    .join('/');
  return `${links.serverUrl}/${links.owner}/${links.repo}/blob/${links.sha}/${path}#L${line}`;
}

export interface RenderInput {
  /** What the run did: `validate` is a plan without a Smartsheet token. */
  mode: 'validate' | 'plan' | 'apply' | 'reconcile' | 'reconcile-plan' | 'reactivate' | 'reactivate-plan';
  report?: Report;
  /** The safety cap in force (the plan's, else the input's). */
  maxDeactivations: number;
  /** Sentences shown above the tables: offline validation, approvals, refusals, errors. */
  notes: string[];
  /** True when the run fails (a refusal, an error, invalid files or a target that did not end done). */
  failed: boolean;
  links?: SourceLinks;
  runUrl?: string;
  /** At most this many user rows; problems are shown first when some must be left out. */
  maxRows?: number;
  /** The hidden lines the next run reads back (`readMarkers`): the reviewed-plan record, the settled digest. */
  markers?: CommentMarkers;
}

const TITLES: Record<RenderInput['mode'], string> = {
  validate: 'Smartsheet offboarding: files validated offline',
  plan: 'Smartsheet offboarding plan',
  apply: 'Smartsheet offboarding applied',
  reconcile: 'Smartsheet offboarding reconciled',
  'reconcile-plan': 'Smartsheet reconcile plan (dry run: nothing changed)',
  reactivate: 'Smartsheet reactivation',
  'reactivate-plan': 'Smartsheet reactivation plan (dry run: nothing changed)',
};

const REACTIVATING: ReadonlySet<RenderInput['mode']> = new Set(['reactivate', 'reactivate-plan']);

/** The markdown of the job summary and the pull request comment (the same content, different row limits). */
export function renderMarkdown(input: RenderInput): string {
  const { report } = input;
  // An apply that never got to Smartsheet (refused, or stopped by an error) changed nothing.
  const title =
    input.mode === 'apply' && !report
      ? 'Smartsheet offboarding not applied'
      : input.mode === 'reactivate' && !report
        ? 'Smartsheet reactivation not run'
        : TITLES[input.mode];
  const lines: string[] = [
    ...markerLines(input.markers ?? {}),
    `### ${input.failed ? '❌' : '✅'} ${title}`,
    '',
  ];
  for (const note of input.notes) lines.push(note, '');

  if (report) {
    // `scheduled` only when some target has a leave date still to come: most runs have none.
    const counts = summaryOutcomes(report).filter(
      (outcome) => outcome !== 'scheduled' || (report.summary[outcome] ?? 0) > 0,
    );
    if (counts.length > 0) {
      lines.push(`| ${counts.join(' | ')} |`, `| ${counts.map(() => '---:').join(' | ')} |`);
      lines.push(`| ${counts.map((outcome) => report.summary[outcome]).join(' | ')} |`, '');
    }
    if (input.mode !== 'validate') {
      const reactivating = REACTIVATING.has(input.mode);
      const planned = reactivating
        ? (report.summary['would-reactivate'] ?? 0) + (report.summary.reactivated ?? 0)
        : (report.summary['would-deactivate'] ?? 0) + (report.summary.deactivated ?? 0);
      lines.push(
        `Safety cap: at most ${input.maxDeactivations} ${reactivating ? 'reactivations' : 'deactivations'} per run (this run: ${planned}).` +
          (report.planDigest ? ` Plan digest: \`${escapeText(report.planDigest)}\`.` : ''),
        '',
      );
    }
    lines.push(...renderFindings(report.findings ?? [], input.links));
    lines.push(...renderResults(report.results, input));
    lines.push(...renderDrifted(report.drifted ?? [], input.links));
  }
  if (input.runUrl) lines.push(`<sub>[Workflow run](${input.runUrl})</sub>`);
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Users an earlier apply deactivated who are active again (a reconcile run), with the entry naming them. */
function renderDrifted(drifted: readonly DriftedUser[], links?: SourceLinks): string[] {
  if (drifted.length === 0) return [];
  const lines = ['#### Active again since an earlier apply (drift)', '', '| Entry | User |', '| --- | --- |'];
  for (const user of drifted) {
    const entry = user.source ? renderSource(user.source, links, true) : escapeText(user.given);
    const who = [user.email, user.id].filter((part) => part !== undefined).map((part) => escapeText(part!));
    lines.push(`| ${entry} | ${who.join('<br>')} |`);
  }
  lines.push('');
  return lines;
}

function renderFindings(findings: readonly Finding[], links?: SourceLinks): string[] {
  if (findings.length === 0) return [];
  const lines = ['#### Problems in the offboarding files', ''];
  for (const finding of findings) {
    lines.push(
      `- ${location(finding.file, finding.line, links)}: ${escapeText(finding.message)} (\`${escapeText(finding.code)}\`)`,
    );
  }
  lines.push('');
  return lines;
}

function location(file: string, line: number, links?: SourceLinks): string {
  const text = `${escapeText(file)} line ${line}`;
  return links ? `[${text}](${lineUrl(links, file, line)})` : text;
}

function renderResults(results: readonly ReportResult[], input: RenderInput): string[] {
  if (results.length === 0) return [];
  const maxRows = input.maxRows ?? Number.POSITIVE_INFINITY;
  // Problems first, so they survive when rows must be left out; then the file order is restored.
  const shown = [...results]
    .map((result, index) => ({ result, index }))
    .sort((a, b) => problemRank(a.result) - problemRank(b.result) || a.index - b.index)
    .slice(0, maxRows)
    .sort((a, b) => a.index - b.index)
    .map(({ result }) => result);

  const groups = new Map<string, ReportResult[]>();
  for (const result of shown) {
    const key = result.source && 'file' in result.source ? result.source.file : '';
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  const lines: string[] = [];
  // Files in path order, then the targets given as inputs.
  const files = [...groups.keys()].sort((a, b) => Number(a === '') - Number(b === '') || a.localeCompare(b));
  for (const file of files) {
    const group = groups.get(file)!;
    lines.push(file === '' ? '#### Given as inputs' : `#### ${escapeText(file)}`, '');
    lines.push(
      `| ${file === '' ? 'Input' : 'Line'} | User | Outcome | Reason | Ticket / note |`,
      '| ---: | --- | --- | --- | --- |',
    );
    const ordered = file === '' ? group : [...group].sort((a, b) => sourceLine(a) - sourceLine(b));
    for (const result of ordered) lines.push(renderRow(result, input.links));
    lines.push('');
  }
  if (shown.length < results.length) {
    lines.push(
      `${results.length - shown.length} more users are not shown here (problems are shown first); the JSON ` +
        'report lists every one: the `report` output and the file at `report-path`.',
      '',
    );
  }
  return lines;
}

function problemRank(result: ReportResult): number {
  return PROBLEM_OUTCOMES.has(result.outcome) ? 0 : 1;
}

function sourceLine(result: ReportResult): number {
  return result.source && 'line' in result.source ? result.source.line : 0;
}

function renderRow(result: ReportResult, links?: SourceLinks): string {
  // One row per person: the other places that named them follow the first.
  const [first, ...others] = result.sources ?? (result.source ? [result.source] : []);
  const line = [
    first ? renderSource(first, links, false) : '',
    ...others.map((other) => `also ${renderSource(other, links, true)}`),
  ].join('<br>');
  const user = [result.email, result.id]
    .filter((part) => part !== undefined)
    .map((part) => escapeText(part!));
  if (user.length === 0) user.push(escapeText(result.given));
  const reason = [result.reason ? `\`${escapeText(result.reason)}\`` : '', escapeText(result.message ?? '')]
    .filter((part) => part !== '')
    .join(' ');
  const note = [result.note?.ticket, result.note?.reason]
    .filter((part) => part !== undefined && part !== '')
    .map((part) => escapeText(part!))
    .join(': ');
  return `| ${line} | ${user.join('<br>')} | \`${escapeText(result.outcome)}\` | ${reason} | ${note} |`;
}

function renderSource(source: TargetSource, links: SourceLinks | undefined, withFile: boolean): string {
  if (!('file' in source)) return escapeText(source.input);
  const text = withFile ? `${escapeText(source.file)}:${source.line}` : String(source.line);
  return links ? `[${text}](${lineUrl(links, source.file, source.line)})` : text;
}

/** GitHub's limits: 65,536 characters for a comment, 1 MiB for a step's job summary (with some room left). */
export const SIZE_LIMITS = { comment: 60_000, summary: 1_000_000 } as const;

/** The markdown in at most `maxBytes` of UTF-8, leaving rows out (problems last) as needed. */
export function renderWithin(input: RenderInput, maxBytes: number): string {
  let maxRows = input.maxRows ?? input.report?.results.length ?? 0;
  for (;;) {
    const body = renderMarkdown({ ...input, maxRows });
    if (Buffer.byteLength(body) <= maxBytes || maxRows === 0) return body;
    maxRows = Math.floor(maxRows / 2);
  }
}

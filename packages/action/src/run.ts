import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  describeResult,
  exitCodeFor,
  idsByOutcome,
  type OffboardResult,
  OUTCOME_TITLES,
  offboard,
  REASON_TITLES,
  type Report,
  type ReportResult,
  reportToJson,
  settledPlanDigest,
} from '@smartsheet-offboard/core';
import {
  type ActionEnvironment,
  COMMENT_MARKER,
  checkApprovals,
  type GitHubApi,
  mergedPullRequestFor,
  offboardingFiles,
  ownStickyComments,
  type PullRequestInfo,
  readPullRequestFiles,
  shortSha,
  type Trigger,
  triggerFor,
  upsertStickyComment,
} from './github.js';
import { type ActionInputs, DEFAULT_MANIFEST_PATHS } from './inputs.js';
import {
  escapeMessage,
  escapeText,
  type RenderInput,
  type ReviewedDigests,
  renderWithin,
  reviewedDigests,
  SIZE_LIMITS,
  type SourceLinks,
} from './render.js';
import { readWorkspaceFiles } from './workspace.js';

/** Where an annotation points: a line of a file in the repository. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

/** The part of `@actions/core` the run reports through; tests pass a recorder. */
export interface Reporter {
  info(message: string): void;
  notice(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  setOutput(name: string, value: string): void;
  /** Appends markdown to the job summary. */
  writeSummary(markdown: string): Promise<void>;
}

export interface RunDependencies {
  environment: ActionEnvironment;
  /** Absent when `github-token` is empty. */
  github?: GitHubApi;
  reporter: Reporter;
  /** Aborted when the workflow is cancelled: no new deactivation starts, and the report says so. */
  signal?: AbortSignal;
}

/** How the run ended: `failure` is the one message for `core.setFailed`. */
export interface RunResult {
  report?: Report;
  failure?: string;
}

/** The outputs, each set to a safe default before anything can fail. */
const LIST_OUTPUTS = {
  deactivated: 'deactivated',
  'already-deactivated': 'already-deactivated',
  blocked: 'blocked',
  'not-found': 'not-found',
  failed: 'failed',
} as const;

/**
 * Sets every output to its safe default (`[]`, or empty), so a step that reads them after a failure, even
 * one over an invalid input, gets valid JSON and no stale value.
 */
export function setSafeOutputs(reporter: Pick<Reporter, 'setOutput'>): void {
  for (const name of Object.keys(LIST_OUTPUTS)) reporter.setOutput(name, '[]');
  for (const name of ['plan-digest', 'report', 'report-path']) reporter.setOutput(name, '');
}

/** What the event asks for, once GitHub has been asked. */
interface Sources {
  files: { path: string; content: string | Uint8Array }[];
  pullRequest?: PullRequestInfo;
  /** The commit the files were read at, for links to their lines. */
  sha: string;
  /** Why there is nothing to do, when there is not. */
  nothingToDo?: string;
  /** Why the run must refuse before reading anything, when it must. */
  refusal?: string;
  /** Changed files that look like offboarding files but were not read. */
  lookAlikes?: string[];
}

/**
 * One run of the action: find what the event asks for, check approvals for an apply, let core validate,
 * plan and apply, then report every target (annotations, outputs, job summary, pull request comment)
 * before returning the single failure message, if any.
 */
export async function run(inputs: ActionInputs, deps: RunDependencies): Promise<RunResult> {
  const { reporter, environment } = deps;
  setSafeOutputs(reporter);

  const trigger = triggerFor(environment, inputs.mode);
  const globs = inputs.manifestPaths ?? DEFAULT_MANIFEST_PATHS;
  const sources = await findSources(trigger, inputs, deps, globs);
  const pr = sources.pullRequest;
  const links: SourceLinks = {
    serverUrl: environment.serverUrl,
    ...environment.repository,
    sha: sources.sha,
  };
  const runUrl = `${environment.serverUrl}/${environment.repository.owner}/${environment.repository.repo}/actions/runs/${environment.runId}`;
  const notes: string[] = [];
  if (sources.lookAlikes && sources.lookAlikes.length > 0) {
    const message =
      `Not read: ${sources.lookAlikes.join(', ')} (matches manifest-paths ${globs.join(', ')} only when case ` +
      'is ignored, and globs are case-sensitive). Rename the file if it names people to offboard.';
    for (const file of sources.lookAlikes) {
      reporter.warning(message, { title: 'Offboarding file not read', file });
    }
    notes.push(`**${escapeText(message, 2000)}**`);
  }
  // Read before anything can refuse: every comment an apply writes carries these forward.
  const shown =
    trigger.mode === 'apply' && pr && deps.github ? await shownDigests(deps.github, pr, reporter) : {};
  const reviewedDigest = shown.reviewed;
  const renderBase = { maxDeactivations: inputs.maxDeactivations, links, runUrl, notes, digests: shown };

  const finish = async (render: RenderInput, failure?: string): Promise<RunResult> => {
    await publish(render, inputs, deps, pr);
    return { report: render.report, failure };
  };
  const refuse = (message: string) =>
    finish(
      {
        ...renderBase,
        mode: trigger.mode,
        notes: [...notes, `**Refused:** ${escapeMessage(message, pr?.number)}`],
        failed: true,
      },
      message,
    );

  if (sources.refusal) return refuse(sources.refusal);
  if (sources.nothingToDo) {
    reporter.notice(sources.nothingToDo);
    return {};
  }

  if (trigger.mode === 'apply' && pr && trigger.event !== 'workflow_dispatch') {
    const status = await checkApprovals(requireGitHub(deps, trigger), pr, inputs.requiredApprovals);
    if (!status.satisfied) return refuse(status.message);
    notes.push(
      `${status.message} Approved by ${status.approvers.map((login) => escapeText(login)).join(', ')}.`,
    );
  }
  if (trigger.mode === 'apply' && !inputs.smartsheetToken) {
    return refuse(
      "Input 'smartsheet-token' is empty: a Smartsheet token is needed to apply. Nothing was changed.",
    );
  }
  const mode = inputs.smartsheetToken ? trigger.mode : 'validate';
  let planMatchesReview = false;
  if (mode === 'validate') {
    notes.push(
      'No Smartsheet token was given (a pull request from a fork gets no secrets): the files were only ' +
        'validated offline, nothing was looked up in Smartsheet.',
    );
  }

  let result: OffboardResult;
  try {
    result = await offboard({
      mode,
      files: sources.files,
      inputs: {
        userIds: inputs.userIds,
        emails: inputs.emails,
        names: { userIds: 'user-ids', emails: 'emails' },
      },
      connection: inputs.smartsheetToken ? connection(inputs, deps, pr) : undefined,
      planOptions: {
        planDomains: inputs.planDomains,
        extraIspDomains: inputs.extraIspDomains,
        protectedUsers: inputs.protectedUsers,
        allowAdmins: inputs.allowAdmins,
        maxDeactivations: inputs.maxDeactivations,
      },
      signal: deps.signal,
      onPlan: (plan) => {
        // Smartsheet may legitimately change between review and merge (someone deactivated by hand): the
        // plan of this moment is applied, never the reviewed one, but the difference must not go unseen.
        // A re-run after an apply of the reviewed plan finds that apply's own changes done: still no drift.
        planMatchesReview = plan.digest === reviewedDigest || plan.digest === shown.settled;
        if (reviewedDigest === undefined || planMatchesReview) return;
        const message =
          `The plan changed since it was reviewed: the pull request comment showed plan digest ${reviewedDigest}, ` +
          `the plan applied now is ${plan.digest}. Only the decisions of the current plan are applied; the job ` +
          'summary and the pull request comment show them.';
        reporter.warning(message, { title: 'Plan changed since it was reviewed' });
        notes.push(`**${escapeText(message, 2000)}**`);
      },
      onResult: (entry) => reporter.info(describeResult(entry)),
    });
  } catch (error) {
    const message = `The run stopped: ${error instanceof Error ? error.message : String(error)}`;
    return finish(
      {
        ...renderBase,
        mode,
        notes: [...notes, `**${escapeMessage(message, pr?.number)}**`],
        failed: true,
        digests: { reviewed: reviewedDigest },
      },
      message,
    );
  }

  const { report } = result;
  if (result.stoppedBecause === 'no-targets') {
    reporter.notice('The offboarding files name nobody: nothing to do.');
    return {};
  }
  annotate(report, reporter);
  await setReportOutputs(report, reporter, environment);
  if (mode === 'validate' && result.stoppedBecause === undefined) {
    notes.push(`${plural(result.targets.length, 'entry', 'entries')} checked: no problems found.`);
  }
  if (trigger.mode === 'apply' && pr) {
    notes.push(`Applied from commit ${shortSha(sources.sha)} of pull request #${pr.number}.`);
  }
  if (result.stoppedBecause === 'over-limit') {
    const consequence = mode === 'apply' ? 'nothing was deactivated' : 'apply would deactivate nobody';
    notes.push(
      `**The plan exceeds max-deactivations (${inputs.maxDeactivations}): ${consequence}.** ` +
        'Split the offboarding into several pull requests or raise the input.',
    );
  }
  const failure = failureMessage(result);
  return finish(
    {
      ...renderBase,
      mode,
      report,
      failed: failure !== undefined,
      maxDeactivations: result.plan?.maxDeactivations ?? inputs.maxDeactivations,
      digests: {
        reviewed: reviewedDigest,
        settled: planMatchesReview && result.plan ? settledPlanDigest(result.plan, report) : undefined,
      },
    },
    failure,
  );
}

async function findSources(
  trigger: Trigger,
  inputs: ActionInputs,
  deps: RunDependencies,
  globs: readonly string[],
): Promise<Sources> {
  const { environment } = deps;
  switch (trigger.event) {
    case 'pull_request':
    case 'pull_request_review': {
      if (trigger.event === 'pull_request_review' && trigger.mode === 'apply' && !trigger.approval) {
        return {
          files: [],
          sha: environment.sha,
          nothingToDo: 'The review is not an approval: nothing to apply.',
        };
      }
      const github = requireGitHub(deps, trigger);
      // The head as it is now: an approval counts only on the final commit, and the files are read there.
      const pullRequest = await github.getPullRequest(trigger.pullNumber);
      return pullRequestSources(
        github,
        pullRequest,
        inputs,
        globs,
        'The pull request adds or changes no offboarding file',
      );
    }
    case 'push': {
      if (trigger.mode === 'apply' && trigger.ref !== `refs/heads/${trigger.defaultBranch}`) {
        return {
          files: [],
          sha: trigger.sha,
          refusal: trigger.defaultBranch
            ? `Apply on push runs only for the default branch ${trigger.defaultBranch}; this push is to ${trigger.ref}. Nothing was changed.`
            : `The push event does not name the repository's default branch, so apply cannot tell whether ${trigger.ref} is it. Nothing was changed.`,
        };
      }
      const github = requireGitHub(deps, trigger);
      const branch = trigger.ref.replace(/^refs\/heads\//, '');
      const merged = await mergedPullRequestFor(github, trigger.sha, branch);
      if (!merged) {
        const touched = offboardingFiles(
          (environment.payload.commits ?? []).flatMap((commit) =>
            [...(commit.added ?? []), ...(commit.modified ?? [])].map((path) => ({
              path,
              status: 'modified',
            })),
          ),
          globs,
        );
        return touched.length > 0 && trigger.mode === 'apply'
          ? {
              files: [],
              sha: trigger.sha,
              refusal:
                `Commit ${shortSha(trigger.sha)} changes ${touched.join(', ')} but was not merged from a pull request into ${branch}, ` +
                'so nobody approved it. Nothing was changed: open a pull request with the file.',
            }
          : withTargets(
              { files: [], sha: trigger.sha },
              inputs,
              'The push comes from no merged pull request that changes offboarding files',
            );
      }
      // Read at the pull request's final commit, the one the approvals stand on, never at the merge commit:
      // a merge can carry lines nobody approved (base-branch changes, or a hand-made merge commit).
      const pullRequest = await github.getPullRequest(merged.number);
      return pullRequestSources(
        github,
        pullRequest,
        inputs,
        globs,
        `Pull request #${pullRequest.number} adds or changes no offboarding file`,
      );
    }
    case 'workflow_dispatch': {
      const files = inputs.manifestPaths
        ? await readWorkspaceFiles(environment.workspace, inputs.manifestPaths)
        : [];
      const sources = withTargets({ files, sha: environment.sha }, inputs, '');
      return sources.nothingToDo === undefined
        ? sources
        : {
            ...sources,
            nothingToDo: undefined,
            refusal: inputs.manifestPaths
              ? `No file matches manifest-paths (${inputs.manifestPaths.join(', ')}) and no user-ids or emails were given.`
              : 'Give user-ids, emails or manifest-paths: workflow_dispatch has no other way to know whom to offboard.',
          };
    }
  }
}

/** The offboarding files of a pull request at its final commit; a refusal when GitHub could not list them all. */
async function pullRequestSources(
  github: GitHubApi,
  pullRequest: PullRequestInfo,
  inputs: ActionInputs,
  globs: readonly string[],
  nothing: string,
): Promise<Sources> {
  const sha = pullRequest.headSha;
  const { files, unlisted, lookAlikes } = await readPullRequestFiles(github, pullRequest, sha, globs);
  if (unlisted > 0) {
    return {
      files: [],
      pullRequest,
      sha,
      refusal:
        `Pull request #${pullRequest.number} changes ${pullRequest.changedFiles} files but GitHub lists only ` +
        `${pullRequest.changedFiles! - unlisted}, so offboarding files among the others could not be read. ` +
        'Nothing was changed: move the offboarding files to a pull request of their own.',
    };
  }
  return withTargets({ files, pullRequest, sha, lookAlikes }, inputs, nothing);
}

/** Marks the sources as nothing to do when no file was found and no input names anyone. */
function withTargets(sources: Sources, inputs: ActionInputs, nothing: string): Sources {
  const hasTargets = sources.files.length > 0 || inputs.userIds.length > 0 || inputs.emails.length > 0;
  return hasTargets ? sources : { ...sources, nothingToDo: `${nothing}: nothing to do.` };
}

/**
 * The digests the pull request's own sticky comment carries: the plan reviewers saw before approving, and
 * what an earlier apply of it left. Not finding them (no comment yet, or GitHub not answering) only means
 * there is nothing to compare with.
 */
async function shownDigests(
  github: GitHubApi,
  pr: PullRequestInfo,
  reporter: Reporter,
): Promise<ReviewedDigests> {
  try {
    const digests = (await ownStickyComments(github, pr.number))
      .map((comment) => reviewedDigests(comment.body.slice(COMMENT_MARKER.length).replace(/^\n/, '')))
      .filter((digests) => digests.reviewed !== undefined);
    return digests.at(-1) ?? {};
  } catch (error) {
    reporter.info(
      `Could not read the comments of pull request #${pr.number} to compare the reviewed plan: ${errorText(error)}.`,
    );
    return {};
  }
}

function requireGitHub(deps: RunDependencies, trigger: Trigger): GitHubApi {
  if (!deps.github) {
    throw new Error(
      `Input 'github-token' is empty: on ${trigger.event} the action reads the pull request's files and reviews through the GitHub API`,
    );
  }
  return deps.github;
}

/** Smartsheet connection settings, with headers that let Smartsheet's records say where a change came from. */
function connection(inputs: ActionInputs, deps: RunDependencies, pr: PullRequestInfo | undefined) {
  const { owner, repo } = deps.environment.repository;
  const { runId, runAttempt } = deps.environment;
  return {
    token: inputs.smartsheetToken!,
    region: inputs.region,
    baseUrl: inputs.apiBaseUrl,
    requestsPerMinute: inputs.requestsPerMinute,
    integrationSource:
      inputs.integrationSource ?? `SCRIPT,${owner.replace(/,/g, '') || 'github'},smartsheet-offboard`,
    changeAgent: [
      `smartsheet-offboard-action ${owner}/${repo}`,
      pr ? `pr#${pr.number}` : undefined,
      `run ${runId}/${runAttempt}`,
    ]
      .filter((part) => part !== undefined)
      .join(' '),
  };
}

/** One annotation per finding and per target that did not end done, on its line when it came from a file. */
function annotate(report: Report, reporter: Reporter): void {
  const inputNames = new Set(['user-ids', 'emails']);
  for (const finding of report.findings ?? []) {
    reporter.error(
      finding.message,
      inputNames.has(finding.file)
        ? { title: `Invalid ${finding.file} input` }
        : { title: 'Invalid offboarding file', file: finding.file, startLine: finding.line },
    );
  }
  for (const result of report.results) {
    if (!PROBLEMS.has(result.outcome)) continue;
    const title = result.reason ? REASON_TITLES[result.reason] : OUTCOME_TITLES[result.outcome];
    reporter.error(describeResult(result), { title, ...fileLocation(result) });
  }
}

const PROBLEMS: ReadonlySet<ReportResult['outcome']> = new Set(['blocked', 'not-found', 'failed']);

function fileLocation(result: ReportResult): AnnotationProperties {
  return result.source && 'file' in result.source
    ? { file: result.source.file, startLine: result.source.line }
    : {};
}

async function setReportOutputs(report: Report, reporter: Reporter, environment: ActionEnvironment) {
  const people = idsByOutcome(report);
  for (const [name, outcome] of Object.entries(LIST_OUTPUTS))
    reporter.setOutput(name, JSON.stringify(people[outcome] ?? []));
  reporter.setOutput('plan-digest', report.planDigest ?? '');
  const json = reportToJson(report);
  const tooLarge = Buffer.byteLength(json) > MAX_OUTPUT_BYTES;
  reporter.setOutput('report', tooLarge ? '' : json);
  const directory = await mkdtemp(join(environment.runnerTemp, 'smartsheet-offboard-'));
  const path = join(directory, 'report.json');
  await writeFile(path, `${json}\n`);
  reporter.setOutput('report-path', path);
  if (tooLarge) {
    reporter.warning(
      `The JSON report is over GitHub's 1 MB limit for an output, so the report output is empty: read ${path} (the report-path output).`,
    );
  }
}

/** GitHub refuses an output over 1 MB; some room is left for the other outputs. */
export const MAX_OUTPUT_BYTES = 900_000;

function failureMessage(result: OffboardResult): string | undefined {
  const { report } = result;
  if (result.stoppedBecause === 'invalid') {
    const count = report.findings?.length ?? 0;
    return `${plural(count, 'problem', 'problems')} in the offboarding files or inputs; nothing was requested from Smartsheet.`;
  }
  if (exitCodeFor(report) === 0) return undefined;
  const counts = [...PROBLEMS]
    .map((outcome) => [outcome, report.results.filter((r) => r.outcome === outcome).length] as const)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome}`);
  const verb = report.mode === 'plan' ? 'would not end deactivated' : 'did not end deactivated';
  return `Some users ${verb} (${counts.join(', ')}); see the annotations and the job summary.`;
}

/** The job summary and the sticky comment; neither failing fails the run. */
async function publish(
  render: RenderInput,
  inputs: ActionInputs,
  deps: RunDependencies,
  pr: PullRequestInfo | undefined,
) {
  const { reporter } = deps;
  const secrets = [inputs.smartsheetToken, inputs.githubToken].filter((s): s is string => s !== undefined);
  try {
    await reporter.writeSummary(redact(renderWithin(render, SIZE_LIMITS.summary), secrets));
  } catch (error) {
    reporter.warning(`Could not write the job summary: ${errorText(error)}`);
  }
  if (!pr || !inputs.commentOnPr || !deps.github) return;
  try {
    const how = await upsertStickyComment(
      deps.github,
      pr.number,
      redact(renderWithin({ ...render, maxRows: 200 }, SIZE_LIMITS.comment), secrets),
    );
    reporter.info(
      `${how === 'created' ? 'Commented on' : 'Updated the comment on'} pull request #${pr.number}.`,
    );
  } catch (error) {
    reporter.warning(
      `Could not comment on pull request #${pr.number}: ${errorText(error)}. A pull request from a fork gets a ` +
        'read-only token; the job summary has the same content.',
    );
  }
}

/** Defence in depth: core's messages never carry the token, but nothing with it may reach markdown. */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((redacted, secret) => redacted.split(secret).join('***'), text);
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

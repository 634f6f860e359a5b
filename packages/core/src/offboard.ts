import { apply } from './apply.js';
import { changeOfTargets, type OffboardingFileVersion } from './change-set.js';
import { type ClientOptions, createClient } from './client.js';
import { DEFAULT_MAX_DEACTIVATIONS, isChange } from './decide.js';
import { ConfigError, SmartsheetApiError } from './errors.js';
import { crossCheckTargets, parseOffboardingFile, targetsFromInputs } from './manifest/index.js';
import { labelConfigError, labelFor, type OptionLabels } from './option-labels.js';
import { plan as makePlan } from './plan.js';
import { type DriftPolicy, entriesNeedingProvenance, type Provenance, reconcilePlan } from './reconcile.js';
import { planReport, summarize, withoutUndefined } from './report.js';
import type {
  DriftedUser,
  Finding,
  Plan,
  PlanEntry,
  PlanOptions,
  Report,
  ReportResult,
  SmartsheetErrorInfo,
  Target,
} from './types.js';

export interface OffboardRequest {
  /** `validate` never makes a request; `plan` makes only reads; `apply`/`reactivate` change users. */
  mode: 'validate' | 'plan' | 'apply' | 'reactivate';
  /** Offboarding files already read by the caller (core does no file I/O). */
  files?: readonly OffboardingFileVersion[];
  /**
   * The same files before the change (a pull request's merge base; a renamed file under its previous path):
   * when given, only the entries `files` add are targets (see `changeSet`), the others are `kept`.
   */
  baseFiles?: readonly OffboardingFileVersion[];
  /** Targets given directly. */
  inputs?: { userIds?: readonly string[]; emails?: readonly string[] };
  /**
   * The caller's names for core's options (`max-deactivations` in the action, `--max-deactivations` in
   * the CLI): findings about `inputs`, messages and `ConfigError` messages use them; `ConfigError.input`
   * keeps core's name.
   */
  labels?: OptionLabels;
  /** How to reach Smartsheet; required for every mode but `validate`. */
  connection?: ClientOptions;
  /** `operation` is set by the mode (`reactivate` reactivates); for `plan` it chooses what to plan. */
  planOptions?: PlanOptions;
  /** Called with the plan before any change; resolve `false` to stop there (the CLI's confirmation). */
  confirm?: (plan: Plan) => boolean | Promise<boolean>;
  /**
   * Stops sending (Ctrl-C, a cancelled workflow): requests already sent finish, nothing else is sent.
   * The report says what happened: every change not sent is `failed`/`interrupted` (while planning,
   * every target, with `stoppedBecause: 'interrupted'`).
   */
  signal?: AbortSignal;
  /**
   * A reconcile run: every entry of the files is a target, but only those with provenance change anyone
   * (see `reconcilePlan`). `provenance` is asked once, after planning, for the entries that would change
   * someone now (`entriesNeedingProvenance`), and answers for each of them. `planOptions.maxDeactivations`
   * caps what the run really does.
   */
  reconcile?: {
    drift: DriftPolicy;
    provenance: (entries: readonly PlanEntry[]) => Promise<(entry: PlanEntry) => Provenance>;
  };
  onPlan?: (plan: Plan) => void;
  onResult?: (result: ReportResult, done: number, total: number) => void;
}

export interface OffboardResult {
  report: Report;
  /** Every target loaded from the files and inputs (also for `validate`, to say how many were checked). */
  targets: Target[];
  /** With `baseFiles`: the entries of `files` that were there before the change, so not targets. */
  kept?: Target[];
  /** Present once targets were resolved against Smartsheet. */
  plan?: Plan;
  /** A reconcile run: users an earlier apply deactivated who are active again (see `reconcilePlan`). */
  drifted?: PlanEntry[];
  /**
   * Why the run changed nothing it might have:
   * `invalid`: files or inputs had findings, nothing was requested.
   * `no-targets`: no file or input named anyone (e.g. a pull request that touches no offboarding file);
   * nothing was requested and the report is empty: not a failure, but worth saying.
   * `over-limit`: the plan exceeds `maxDeactivations`; every such entry is `blocked`/`over-limit`.
   * `declined`: `confirm` said no.
   * `interrupted`: the signal came while planning; nothing was changed and every target is
   * `failed`/`interrupted`.
   */
  stoppedBecause?: 'invalid' | 'no-targets' | 'over-limit' | 'declined' | 'interrupted';
}

/**
 * One whole run, shared by the CLI and the action: parse and cross-check every source, refuse on any
 * finding before the first request, plan, then (for apply/reactivate) change exactly the planned users.
 */
export async function offboard(request: OffboardRequest): Promise<OffboardResult> {
  try {
    return await run(request);
  } catch (error) {
    throw error instanceof ConfigError ? labelConfigError(error, request.labels) : error;
  }
}

async function run(request: OffboardRequest): Promise<OffboardResult> {
  const { mode } = request;
  // One moment for the whole run: the leave dates the files are checked against are the ones planned with.
  const now = request.planOptions?.now ?? new Date();
  const { targets, findings, kept } = loadTargets(request, now);
  const operation = mode === 'reactivate' ? 'reactivate' : mode === 'apply' ? 'deactivate' : undefined;
  const emptyReport = (extra: Partial<Report> = {}): Report => ({
    mode,
    summary: summarize(mode, [], operation ?? request.planOptions?.operation),
    results: [],
    ...extra,
  });

  const loaded = kept === undefined ? { targets } : { targets, kept };
  if (findings.length > 0) return { report: emptyReport({ findings }), ...loaded, stoppedBecause: 'invalid' };
  if (mode === 'validate') return { report: emptyReport({ findings: [], targets }), ...loaded };
  if (targets.length === 0) return { report: emptyReport(), ...loaded, stoppedBecause: 'no-targets' };
  if (request.connection === undefined) {
    throw new ConfigError('connection', '', `a Smartsheet connection (token) is required to ${mode}`);
  }

  // The signal also ends retries in progress, so an abort is not held up by a backoff.
  const api = createClient(
    request.signal === undefined ? request.connection : { ...request.connection, signal: request.signal },
  );
  const planOptions: PlanOptions = {
    ...request.planOptions,
    now,
    ...(operation === undefined ? {} : { operation }),
    ...(request.labels === undefined ? {} : { labels: request.labels }),
  };
  let plan: Plan;
  let drifted: PlanEntry[] | undefined;
  try {
    plan = await makePlan(
      api,
      targets,
      request.reconcile ? { ...planOptions, maxDeactivations: Number.POSITIVE_INFINITY } : planOptions,
    );
  } catch (error) {
    if (
      !(request.signal?.aborted && error instanceof SmartsheetApiError && error.info.kind === 'interrupted')
    ) {
      throw error;
    }
    const results = targets.map((target) => interruptedResult(target, error.info));
    const report: Report = { mode, summary: summarize(mode, results, planOptions.operation), results };
    return { report, ...loaded, stoppedBecause: 'interrupted' };
  }
  if (request.reconcile) {
    const provenanceOf = await request.reconcile.provenance(entriesNeedingProvenance(plan));
    const reconciled = reconcilePlan(plan, provenanceOf, {
      drift: request.reconcile.drift,
      maxDeactivations: request.planOptions?.maxDeactivations ?? DEFAULT_MAX_DEACTIVATIONS,
    });
    plan = reconciled.plan;
    drifted = reconciled.drifted;
  }
  request.onPlan?.(plan);
  const overLimit = plan.entries.some((entry) => entry.reason === 'over-limit');
  const finished = (done: Report): OffboardResult => {
    const report = drifted === undefined ? done : { ...done, drifted: drifted.map(driftedUser) };
    const result = { report, ...loaded, plan, ...(drifted === undefined ? {} : { drifted }) };
    return overLimit ? { ...result, stoppedBecause: 'over-limit' } : result;
  };
  if (mode === 'plan') return finished(planReport(plan));

  // Nothing to change (all done, blocked or over the limit): no question to ask.
  if (plan.entries.some(isChange) && request.confirm !== undefined && !(await request.confirm(plan))) {
    return { report: planReport(plan), ...loaded, plan, stoppedBecause: 'declined' };
  }
  return finished(await apply(api, plan, { signal: request.signal, onResult: request.onResult }));
}

/** A drifted user as the report lists it: who, and the entry that asks for them to be offboarded. */
function driftedUser(entry: PlanEntry): DriftedUser {
  return withoutUndefined({
    id: entry.user!.id,
    email: entry.user!.email,
    given: entry.target.given,
    source: entry.target.source,
    note: entry.target.note,
  });
}

function loadTargets(
  request: OffboardRequest,
  now: Date,
): { targets: Target[]; findings: Finding[]; kept?: Target[] } {
  const fromFiles: Target[] = [];
  const findings: Finding[] = [];
  for (const file of request.files ?? []) {
    const parsed = parseOffboardingFile(file.path, file.content, { now });
    fromFiles.push(...parsed.targets);
    findings.push(...parsed.findings);
  }
  const fromInputs: Target[] = [];
  const given = request.inputs ?? {};
  if ((given.userIds?.length ?? 0) + (given.emails?.length ?? 0) > 0) {
    const names = {
      userIds: labelFor('userIds', request.labels),
      emails: labelFor('emails', request.labels),
    };
    const parsed = targetsFromInputs(given, names);
    fromInputs.push(...parsed.targets);
    findings.push(...parsed.findings);
  }
  // Every file is validated whole: nothing is applied while one is invalid, even in entries it keeps.
  findings.push(...crossCheckTargets([...fromFiles, ...fromInputs]));
  if (request.baseFiles === undefined) return { targets: [...fromFiles, ...fromInputs], findings };
  const before = request.baseFiles.flatMap(
    (file) => parseOffboardingFile(file.path, file.content, { now }).targets,
  );
  const { added, kept } = changeOfTargets(before, fromFiles);
  return { targets: [...added, ...fromInputs], findings, kept };
}

/** A target the plan never reached: nothing was asked about it, let alone changed. */
function interruptedResult(target: Target, info: SmartsheetErrorInfo): ReportResult {
  return withoutUndefined({
    id: target.id,
    email: target.email,
    given: target.given,
    outcome: 'failed',
    reason: 'interrupted',
    message: `Interrupted while planning; nothing was changed. ${info.remediation}`,
    source: target.source,
    note: target.note,
  });
}

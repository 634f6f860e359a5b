import { notSentInfo, type UsersApi } from './client.js';
import { capChanges, isChange } from './decide.js';
import { ConfigError, SmartsheetApiError } from './errors.js';
import { planDigest } from './plan.js';
import { resultFromEntry, summarize, withoutUndefined } from './report.js';
import { confirmNotActive } from './status-check.js';
import type {
  Plan,
  ReasonCode,
  Report,
  ReportResult,
  SmartsheetErrorInfo,
  SmartsheetUser,
  UserId,
} from './types.js';

export interface ApplyOptions {
  /**
   * Stops sending: changes already sent finish; every other change (not started, or waiting in the
   * client's queue) ends `failed`/`interrupted` without reaching Smartsheet. Give the client the same
   * signal (as `offboard` does), or changes already queued in it are still sent.
   */
  signal?: AbortSignal;
  /**
   * Called once per target as its result is known: first the targets with nothing to change (in plan
   * order), then each change as it completes. `total` is the number of targets.
   */
  onResult?: (result: ReportResult, done: number, total: number) => void;
  /**
   * Changes handed to the client at once (default 8). The client paces and retries; keeping this small
   * means an abort leaves few requests already queued.
   */
  concurrency?: number;
}

/** Why the remaining changes are not even started. */
type Stop = { reason: 'interrupted' | 'unauthorized'; message: string };

/** Deactivates (or reactivates) exactly the users the plan marks, going on past per-user failures. */
export async function apply(api: UsersApi, plan: Plan, options: ApplyOptions = {}): Promise<Report> {
  checkUnchanged(plan);
  const { signal, onResult } = options;
  const results: (ReportResult | undefined)[] = new Array(plan.entries.length);
  let done = 0;
  const settle = (index: number, result: ReportResult) => {
    results[index] = result;
    done++;
    onResult?.(result, done, plan.entries.length);
  };

  // The cap again, in case the plan was built or edited elsewhere: over it, nothing is a change.
  const entries = capChanges(plan.operation, plan.entries, plan.maxDeactivations);
  // Several targets may name the same user: one request each user, its answer shared by all its targets.
  const changes = new Map<UserId, number[]>();
  entries.forEach((entry, index) => {
    if (!isChange(entry)) settle(index, resultFromEntry(entry));
    else changes.set(entry.user!.id, [...(changes.get(entry.user!.id) ?? []), index]);
  });

  let stop: Stop | undefined;
  const queue = [...changes];
  let cursor = 0;
  const worker = async () => {
    while (cursor < queue.length) {
      const [, indexes] = queue[cursor++]!;
      if (stop === undefined && signal?.aborted) stop = interrupted();
      const outcome =
        stop === undefined ? await change(api, plan.operation, entries[indexes[0]!]!.user!) : stopped(stop);
      if (outcome.stop !== undefined && stop === undefined) stop = outcome.stop;
      for (const index of indexes) {
        settle(index, withoutUndefined({ ...resultFromEntry(entries[index]!), ...outcome.fields }));
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 8, queue.length));
  await Promise.all(Array.from({ length: workers }, worker));

  const finished = results.map((result) => result!);
  const mode = plan.operation === 'deactivate' ? 'apply' : 'reactivate';
  return {
    mode,
    planDigest: plan.digest,
    summary: summarize(mode, finished),
    results: finished,
    ...(plan.warnings && { warnings: plan.warnings }),
  };
}

/**
 * The digest is what people review and approve: a plan whose entries were edited after `plan()` made it
 * (a blocked entry turned into a change, another user's ID) no longer matches it, and changes nobody.
 */
function checkUnchanged(plan: Plan): void {
  const userless = plan.entries.some((entry) => isChange(entry) && entry.user === undefined);
  if (userless || planDigest(plan.operation, plan.entries) !== plan.digest) {
    throw new ConfigError(
      'plan',
      plan.digest,
      'a plan exactly as plan() made it (its entries match its digest and every change names a resolved user); ' +
        'it was changed after it was made, so nothing was changed: make the plan again',
    );
  }
}

interface ChangeOutcome {
  /** Replaces the plan's outcome, reason and message in the result. */
  fields: Pick<ReportResult, 'outcome' | 'reason' | 'message' | 'errorCode' | 'refId'>;
  /** Set when no further change should be attempted. */
  stop?: Stop;
}

/** The same words as a change the client's queue held back: to the reader, neither was sent. */
function interrupted(): Stop {
  const { message, remediation } = notSentInfo();
  return { reason: 'interrupted', message: `${message} ${remediation}` };
}

function stopped(stop: Stop): ChangeOutcome {
  return { fields: { outcome: 'failed', reason: stop.reason, message: stop.message } };
}

async function change(
  api: UsersApi,
  operation: Plan['operation'],
  user: SmartsheetUser,
): Promise<ChangeOutcome> {
  try {
    if (operation === 'deactivate') await api.deactivateUser(user.id);
    else await api.reactivateUser(user.id);
    return { fields: { outcome: operation === 'deactivate' ? 'deactivated' : 'reactivated' } };
  } catch (error) {
    if (!(error instanceof SmartsheetApiError)) {
      return {
        fields: {
          outcome: 'failed',
          reason: 'unexpected-response',
          message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
        },
      };
    }
    if (error.info.errorCode === ACCOUNT_NOT_ACTIVE) {
      return { fields: await confirmNotActive(api, operation, user, error.info) };
    }
    return outcomeOfError(error.info);
  }
}

/** Smartsheet's answer as an outcome: documented refusals are permanent, transient problems may pass. */
function outcomeOfError(info: SmartsheetErrorInfo): ChangeOutcome {
  const fields = withoutUndefined({
    reason: info.reason,
    // Smartsheet's own words, then what to do: the report is the record, it must say both.
    message: info.remediation ? `${info.message} ${info.remediation}` : info.message,
    errorCode: info.errorCode,
    refId: info.refId,
  });
  if (info.kind === 'auth') {
    return {
      fields: { ...fields, outcome: 'failed' },
      stop: {
        reason: 'unauthorized',
        message: `Not attempted: Smartsheet rejected the token (${info.message}). ${info.remediation}`,
      },
    };
  }
  if (info.kind === 'interrupted') {
    // The abort held this change back or ended its retries: transient, like the changes never started.
    return { fields: { ...fields, outcome: 'failed' }, stop: interrupted() };
  }
  if (info.kind === 'not-found') {
    const { reason: _notAReason, ...rest } = fields;
    return { fields: { ...rest, outcome: 'not-found' } };
  }
  // An answer we cannot read leaves the change uncertain: running again checks the status first.
  const transient =
    info.retryable || TRANSIENT_REASONS.has(info.reason) || info.kind === 'unexpected-response';
  return { fields: { ...fields, outcome: transient ? 'failed' : 'blocked' } };
}

/** The reasons that mean "running again may succeed" (`failed`); every other refusal is permanent. */
const TRANSIENT_REASONS: ReadonlySet<ReasonCode> = new Set(['rate-limited', 'server-error', 'network']);

/** 403/1188 "The account status of the user specified is not active": confirmed against the list. */
const ACCOUNT_NOT_ACTIVE = 1188;

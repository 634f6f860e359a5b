import {
  describeRetry,
  exitCodeFor,
  type OffboardRequest,
  type OffboardResult,
  offboard,
  type Plan,
  type PlanOptions,
  planReport,
  type Region,
  reportToJson,
} from '@smartsheet-offboard/core';
import { askYesNo } from './confirm.js';
import { noTargets, UsageError } from './errors.js';
import { readOffboardingFiles } from './files.js';
import { EXIT_CODES, TOKEN_VARIABLE } from './help.js';
import type { CliIo } from './main.js';
import { CLI_LABELS } from './options.js';
import { plural, printRunReport, type RunMode, type Write } from './print.js';
import { createProgress } from './progress.js';
import { type Colors, colorsFor, formatResultsTable, formatSummary, terminalWidth } from './render.js';

type Output = CliIo['stdout'];

export interface RunOptions {
  file?: string[];
  userId?: string[];
  email?: string[];
  region?: Region;
  baseUrl?: string;
  planDomains?: string[];
  extraIspDomains?: string[];
  protect?: string[];
  allowAdmins?: boolean;
  allowChildOrganizations?: boolean;
  maxDeactivations?: number;
  requestsPerMinute?: number;
  header?: Record<string, string>;
  json?: boolean;
  yes?: boolean;
  /** apply, reactivate: plan what the command would do and stop there. */
  dryRun?: boolean;
}

export interface RunContext {
  io: CliIo;
  out: Write;
  err: Write;
  token: string | undefined;
}

/** plan, apply or reactivate: resolve the targets against Smartsheet and, unless planning, change them. */
export async function run(mode: RunMode, options: RunOptions, context: RunContext): Promise<number> {
  const { io, out, err, token } = context;
  if (!token) {
    throw new UsageError(
      `${TOKEN_VARIABLE} is not set. Allowed: a System Admin's Smartsheet access token in that environment variable (never as an argument).`,
    );
  }
  if (!options.file?.length && !options.userId?.length && !options.email?.length) {
    throw noTargets();
  }
  const changesUsers = mode !== 'plan' && options.dryRun !== true;
  const json = options.json === true;
  // The plan and the question go where a person reads them; with --json stdout holds only the report.
  const promptStream = json ? io.stderr : io.stdout;
  const promptWrite = json ? err : out;
  const canAsk = io.stdin.isTTY === true && promptStream.isTTY === true;
  if (changesUsers && !options.yes && !canAsk) {
    throw new UsageError(
      `${mode} changes users and asks for confirmation, but there is no terminal to ask on. Allowed: pass --yes to ${mode} without asking.`,
    );
  }
  const files = await readOffboardingFiles(options.file ?? [], '--file');
  const colors = colorsFor(io.stdout, io.env);

  // Results arrive one by one only while changing users; a plan's reads end all at once.
  const progress =
    changesUsers && io.stderr.isTTY === true && !json
      ? createProgress(io.stderr, mode === 'apply' ? 'Deactivating' : 'Reactivating')
      : undefined;
  // A line for a person while the bar is drawn goes above it, so neither overwrites the other.
  const notify = progress ? (text: string) => progress.note(text) : err;
  const controller = new AbortController();
  const stopListening = changesUsers ? listenForCtrlC(mode, controller, io, notify) : () => {};

  const request: OffboardRequest = {
    mode: changesUsers ? mode : 'plan',
    files,
    inputs: {
      userIds: options.userId ?? [],
      emails: options.email ?? [],
    },
    connection: {
      token,
      region: options.region,
      baseUrl: options.baseUrl,
      headers: options.header,
      requestsPerMinute: options.requestsPerMinute,
      changeAgent: 'smartsheet-offboard-cli',
      // Even with --json: stderr is for people, and a silent wait looks like a hang.
      onRetry: (event) => notify(`${describeRetry(event)}\n`),
    },
    planOptions: planOptions(mode, options),
    labels: CLI_LABELS,
    signal: controller.signal,
    onPlan: (plan) => {
      for (const warning of plan.warnings ?? []) notify(`warning: ${warning}\n`);
    },
    onResult: progress ? (_result, done, total) => progress.update(done, total) : undefined,
    confirm:
      changesUsers && !options.yes
        ? async (plan) => {
            // Ctrl-C while planning means stop: no question, nothing changed.
            if (controller.signal.aborted) return false;
            const answer = await confirmPlan(plan, mode, {
              stdin: io.stdin,
              promptStream,
              colors: colorsFor(promptStream, io.env),
              width: terminalWidth(promptStream),
              write: promptWrite,
            });
            // Ctrl-C at the question is an interruption (130), not a "no" (1).
            if (answer === 'interrupted') controller.abort();
            return answer === 'yes';
          }
        : undefined,
  };

  let result: OffboardResult;
  try {
    result = await offboard(request);
  } finally {
    progress?.stop();
    stopListening();
  }
  const { report, stoppedBecause } = result;
  if (json) out(`${reportToJson(report)}\n`);
  else printRunReport(mode, result, { colors, width: terminalWidth(io.stdout), dryRun: !changesUsers }, out);
  if (controller.signal.aborted) {
    err(
      'Interrupted: the report shows what happened so far. Run the same command again to finish the rest.\n',
    );
    return EXIT_CODES.interrupted;
  }
  if (stoppedBecause === 'invalid') return EXIT_CODES.usage;
  if (stoppedBecause === 'declined') return EXIT_CODES.problems;
  return exitCodeFor(report);
}

/**
 * The first Ctrl-C stops sending: what is in flight finishes and is reported. A second one quits at
 * once, for a person who cannot wait for a slow answer.
 */
function listenForCtrlC(mode: RunMode, controller: AbortController, io: CliIo, notify: Write): () => void {
  let interrupts = 0;
  return io.onInterrupt(() => {
    interrupts += 1;
    if (interrupts > 1) {
      io.exitNow(EXIT_CODES.interrupted);
      return;
    }
    controller.abort();
    notify(
      `Stopping: no new ${mode === 'apply' ? 'deactivations' : 'reactivations'} will be sent; waiting for those in flight. Press Ctrl-C again to quit at once.\n`,
    );
  });
}

function planOptions(mode: RunMode, options: RunOptions): PlanOptions {
  return {
    operation: mode === 'reactivate' ? 'reactivate' : 'deactivate',
    planDomains: options.planDomains,
    extraIspDomains: options.extraIspDomains,
    protectedUsers: options.protect,
    allowAdmins: options.allowAdmins === true,
    allowChildOrganizations: options.allowChildOrganizations === true,
    maxDeactivations: options.maxDeactivations,
  };
}

interface PromptContext {
  stdin: CliIo['stdin'];
  promptStream: Output;
  colors: Colors;
  width: number | undefined;
  write: Write;
}

/** Shows the plan, then asks (core asks only when the plan changes someone). */
async function confirmPlan(
  plan: Plan,
  mode: Exclude<RunMode, 'plan'>,
  { stdin, promptStream, colors, width, write }: PromptContext,
) {
  const preview = planReport(plan);
  write(formatResultsTable(preview.results, colors, width));
  write(formatSummary(preview, colors));
  const pending = mode === 'apply' ? 'would-deactivate' : 'would-reactivate';
  const count = preview.summary[pending] ?? 0;
  const verb = mode === 'apply' ? 'Deactivate' : 'Reactivate';
  return askYesNo(`${verb} ${plural(count, 'user')} marked ${pending}? [y/N] `, stdin, promptStream);
}

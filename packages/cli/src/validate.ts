import { offboard, reportToJson } from '@smartsheet-offboard/core';
import { noTargets } from './errors.js';
import { readOffboardingFiles } from './files.js';
import { EXIT_CODES } from './help.js';
import type { CliIo } from './main.js';
import { CLI_LABELS } from './options.js';
import { plural, printFindings, type Write } from './print.js';
import { colorsFor, formatTargetsTable, terminalWidth } from './render.js';

export interface ValidateOptions {
  file?: string[];
  userId?: string[];
  email?: string[];
  json?: boolean;
}

/** Checks files and targets offline, the same targets `plan` takes; sends nothing. */
export async function validate(
  paths: readonly string[],
  options: ValidateOptions,
  { io, out }: { io: CliIo; out: Write },
): Promise<number> {
  if (paths.length === 0 && !options.userId?.length && !options.email?.length) throw noTargets();
  const files = await readOffboardingFiles(paths, 'file');
  const { report, targets, stoppedBecause } = await offboard({
    mode: 'validate',
    files,
    inputs: {
      userIds: options.userId ?? [],
      emails: options.email ?? [],
    },
    labels: CLI_LABELS,
  });
  const colors = colorsFor(io.stdout, io.env);
  if (options.json) {
    out(`${reportToJson(report)}\n`);
  } else if (stoppedBecause === 'invalid') {
    printFindings(report, colors, out);
  } else {
    out(formatTargetsTable(targets, colors, terminalWidth(io.stdout)));
    const checked = [
      paths.length > 0 ? `${plural(paths.length, 'file')} valid` : '',
      plural(targets.length, 'target'),
    ].filter(Boolean);
    out(`${colors.bold('validate:')} ${checked.join(', ')}\n`);
  }
  return stoppedBecause === 'invalid' ? EXIT_CODES.usage : EXIT_CODES.done;
}

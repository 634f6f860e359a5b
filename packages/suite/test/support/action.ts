import { type BundleOptions, type BundleRun, runActionBundle } from '@smartsheet-offboard/testkit/processes';
import { expect } from 'vitest';
import { collect } from './outputs.js';
import { TOKEN } from './secret.js';

export interface SuiteBundleRun extends BundleRun {
  /** Workflow commands the run printed: `::error::…`, `::warning file=…::…`. */
  errors: string[];
}

/**
 * Runs the committed bundle with the suite's tokens, then collects everything it showed for the suite's
 * token sweep.
 */
export async function runBundle(options: Omit<BundleOptions, 'timeoutMs'>): Promise<SuiteBundleRun> {
  const run = await runActionBundle({
    ...options,
    inputs: { 'smartsheet-token': TOKEN, 'github-token': 'ghs_suiteFakeGitHubToken', ...options.inputs },
    timeoutMs: 25_000,
  });
  const label = `action on ${options.eventName}`;
  // `::add-mask::VALUE` is how the runner learns a secret: it consumes the line and shows it to nobody.
  const shown = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
  await collect(`${label} stdout (logs, annotations)`, shown);
  await collect(`${label} stderr`, run.stderr);
  await collect(`${label} outputs`, run.outputText);
  await collect(`${label} job summary`, run.summary);
  const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
  return { ...run, errors };
}

import { PLAN_OPTION_NAMES } from '@smartsheet-offboard/core';
import { runCli } from '@smartsheet-offboard/testkit/processes';
import { describe, expect, it } from 'vitest';
import { CLI_LABELS } from '../src/options.js';

// The action's twin of this test is packages/action/test/plan-options.test.ts: every plan option a
// person sets is reachable from both shells.
describe('every plan option core offers has a command-line option', () => {
  it.each(['plan', 'apply', 'reactivate'])('on %s', async (command) => {
    const { stdout } = await runCli([command, '--help']);
    for (const name of PLAN_OPTION_NAMES) {
      expect(CLI_LABELS[name], name).toMatch(/^--/);
      expect(stdout, `${command} --help lists ${CLI_LABELS[name]}`).toContain(`${CLI_LABELS[name]} `);
    }
  });
});

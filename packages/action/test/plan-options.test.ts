import { readFileSync } from 'node:fs';
import { PLAN_OPTION_NAMES } from '@smartsheet-offboard/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_LABELS, type ActionInputs, readInputs } from '../src/inputs.js';

const action = parse(readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, unknown>;
};

/** A value for each plan option that differs from its default. */
const GIVEN: Record<(typeof PLAN_OPTION_NAMES)[number], string> = {
  planDomains: 'example.com',
  extraIspDomains: 'mail.example.net',
  protectedUsers: '4583173393803140',
  allowAdmins: 'true',
  allowChildOrganizations: 'true',
  maxDeactivations: '3',
};

// The CLI's twin of this test is packages/cli/test/plan-options.test.ts: every plan option a person
// sets is reachable from both shells.
describe('every plan option core offers has an action input', () => {
  it.each(PLAN_OPTION_NAMES)('%s', (name) => {
    const input = ACTION_LABELS[name];
    expect(action.inputs, `action.yml declares ${input}`).toHaveProperty([input]);
    const read = (given: Record<string, string>): ActionInputs =>
      readInputs({ getInput: (key) => given[key] ?? '', setSecret: () => {} });
    // The input reaches the option of the same name, which run() passes to core's plan options.
    expect(read({ [input]: GIVEN[name] })[name]).not.toEqual(read({})[name]);
  });
});

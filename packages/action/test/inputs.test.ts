import { describe, expect, it } from 'vitest';
import { DEFAULT_MANIFEST_PATHS, InputError, type InputSource, readInputs } from '../src/inputs.js';

function source(values: Record<string, string>): InputSource & { secrets: string[] } {
  const secrets: string[] = [];
  return {
    secrets,
    getInput: (name) => values[name] ?? '',
    setSecret: (secret) => secrets.push(secret),
  };
}

describe('readInputs', () => {
  it('applies the documented defaults when inputs are empty', () => {
    const inputs = readInputs(source({}));
    expect(inputs).toEqual({
      smartsheetToken: undefined,
      githubToken: undefined,
      mode: 'auto',
      dryRun: false,
      userIds: [],
      emails: [],
      manifestPaths: undefined,
      region: undefined,
      apiBaseUrl: undefined,
      planDomains: undefined,
      extraIspDomains: undefined,
      protectedUsers: undefined,
      allowAdmins: false,
      allowChildOrganizations: false,
      maxDeactivations: 25,
      requiredApprovals: 1,
      requestsPerMinute: 300,
      integrationSource: undefined,
      commentOnPr: true,
      requireReviewedPlan: true,
      drift: 'report',
      driftIssueLabel: 'smartsheet-offboard-drift',
    });
    expect(DEFAULT_MANIFEST_PATHS).toEqual(['offboarding/**/*.{yml,yaml,json,csv,txt}']);
  });

  it('reads drift and its issue label; refuses an unknown policy and a label GitHub would split', () => {
    expect(readInputs(source({ drift: 'Revert', 'drift-issue-label': 'offboarding drift' }))).toMatchObject({
      drift: 'revert',
      driftIssueLabel: 'offboarding drift',
    });
    expect(() => readInputs(source({ drift: 'fix' }))).toThrow(
      `Input 'drift' has the invalid value "fix": expected one of report, revert, ignore`,
    );
    expect(() => readInputs(source({ 'drift-issue-label': 'a,b' }))).toThrow(
      `Input 'drift-issue-label' has the invalid value "a,b": a label name without commas`,
    );
    expect(readInputs(source({ mode: 'reconcile' })).mode).toBe('reconcile');
  });

  it('masks both tokens as soon as they are read', () => {
    const values = source({ 'smartsheet-token': ' sekret-token ', 'github-token': 'ghs_abc' });
    const inputs = readInputs(values);
    expect(values.secrets).toEqual(['sekret-token', 'ghs_abc']);
    expect(inputs.smartsheetToken).toBe('sekret-token');
    expect(inputs.githubToken).toBe('ghs_abc');
  });

  it('reads every input', () => {
    const inputs = readInputs(
      source({
        mode: 'Plan',
        'user-ids': '4583173393803140, 48569348493401200\n1',
        emails: 'a@example.com\n\nb@example.com',
        'manifest-paths': 'offboarding/*.yaml\n# a comment\n  people/**/*.{csv,txt}  ',
        region: 'EU',
        'api-base-url': 'http://127.0.0.1:8080/2.0',
        'plan-domains': 'example.com,example.org',
        'extra-isp-domains': 'mail.example.net',
        'protected-users': '1 ceo@example.com',
        'allow-admins': 'TRUE',
        'allow-child-organizations': 'true',
        'max-deactivations': '5',
        'required-approvals': '2',
        'requests-per-minute': '60',
        'integration-source': 'SCRIPT,Acme,offboarding',
        'comment-on-pr': 'false',
      }),
    );
    expect(inputs).toMatchObject({
      mode: 'plan',
      userIds: ['4583173393803140', '48569348493401200', '1'],
      emails: ['a@example.com', 'b@example.com'],
      manifestPaths: ['offboarding/*.yaml', 'people/**/*.{csv,txt}'],
      region: 'eu',
      apiBaseUrl: 'http://127.0.0.1:8080/2.0',
      planDomains: ['example.com', 'example.org'],
      extraIspDomains: ['mail.example.net'],
      protectedUsers: ['1', 'ceo@example.com'],
      allowAdmins: true,
      allowChildOrganizations: true,
      maxDeactivations: 5,
      requiredApprovals: 2,
      requestsPerMinute: 60,
      integrationSource: 'SCRIPT,Acme,offboarding',
      commentOnPr: false,
    });
  });

  it.each([
    ['mode', 'dry-run', 'Input \'mode\' has the invalid value "dry-run": expected one of auto, plan, apply'],
    ['region', 'ca', 'Input \'region\' has the invalid value "ca": expected one of us, eu, au, gov'],
    ['allow-admins', 'yes', 'Input \'allow-admins\' has the invalid value "yes": expected true or false'],
    ['comment-on-pr', '1', 'Input \'comment-on-pr\' has the invalid value "1": expected true or false'],
    ['max-deactivations', '0', 'expected a whole number of at least 1'],
    ['max-deactivations', '2.5', 'expected a whole number of at least 1'],
    ['required-approvals', '-1', 'Input \'required-approvals\' has the invalid value "-1"'],
    ['requests-per-minute', '1e3', 'Input \'requests-per-minute\' has the invalid value "1e3"'],
    ['requests-per-minute', '99999999999999999999', 'expected a whole number of at least 1'],
    ['manifest-paths', '../secrets/*.txt', 'globs must be relative to the repository root'],
    ['manifest-paths', '/etc/*', 'globs must be relative to the repository root'],
  ])('rejects %s=%s, naming the input, the value and what is allowed', (name, value, message) => {
    expect(() => readInputs(source({ [name]: value }))).toThrow(InputError);
    expect(() => readInputs(source({ [name]: value }))).toThrow(message);
  });

  it('masks the tokens before validating any other input, so the runner hides them in any error', () => {
    const values = source({ 'smartsheet-token': 'sekret-token', mode: 'sekret-token' });
    let message = '';
    try {
      readInputs(values);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("Input 'mode'");
    expect(values.secrets).toContain('sekret-token');
  });
});

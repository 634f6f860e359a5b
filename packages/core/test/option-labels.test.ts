import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { offboard } from '../src/offboard.js';
import { labelConfigError, labelFor } from '../src/option-labels.js';

describe('option labels', () => {
  it("say an option the caller's way, and core's way when the caller gives no label", () => {
    expect(labelFor('maxDeactivations', { maxDeactivations: 'max-deactivations' })).toBe('max-deactivations');
    expect(labelFor('maxDeactivations')).toBe('maxDeactivations');
    expect(labelFor('plan', { maxDeactivations: '--max-deactivations' })).toBe('plan');
  });

  it("relabel a ConfigError's message and keep core's name in input", () => {
    const error = labelConfigError(new ConfigError('baseUrl', 'ftp://x', 'an https URL'), {
      baseUrl: '--base-url',
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ input: 'baseUrl', value: 'ftp://x', allowed: 'an https URL' });
    expect(error.message).toBe('Invalid --base-url "ftp://x": an https URL');
  });

  it('reach offboard(): its ConfigErrors and the findings about inputs use them', async () => {
    const labels = { region: 'smartsheet-region', userIds: 'user-ids', emails: 'emails' };
    const refused = offboard({
      mode: 'plan',
      inputs: { userIds: ['4583173393803140'] },
      connection: { token: 'not-a-real-token', region: 'gov' },
      labels,
    });
    await expect(refused).rejects.toMatchObject({
      input: 'region',
      message: expect.stringMatching(/^Invalid smartsheet-region "gov"/),
    });

    const { report } = await offboard({ mode: 'validate', inputs: { userIds: ['1e5'] }, labels });
    expect(report.findings).toEqual([
      { source: 'input', file: 'user-ids', line: 1, code: 'malformed-id', message: expect.any(String) },
    ]);
  });
});

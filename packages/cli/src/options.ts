import type { OptionLabels } from '@smartsheet-offboard/core';
import { InvalidArgumentError } from 'commander';
import { TOKEN_VARIABLE } from './help.js';

/** What this command line calls each of core's options: core's messages and errors say them this way. */
export const CLI_LABELS = {
  userIds: '--user-id',
  emails: '--email',
  planDomains: '--plan-domains',
  extraIspDomains: '--extra-isp-domains',
  protectedUsers: '--protect',
  allowAdmins: '--allow-admins',
  allowChildOrganizations: '--allow-child-organizations',
  maxDeactivations: '--max-deactivations',
  region: '--region',
  baseUrl: '--base-url',
  headers: '--header',
  requestsPerMinute: '--requests-per-minute',
  token: TOKEN_VARIABLE,
} as const satisfies OptionLabels;

/**
 * Value parsers for commander options. They check only the command line's own syntax (a number,
 * a list, `Name: value`); what the values mean (IDs, emails, domains, headers) is core's to judge.
 * Commander prefixes each message with the option and the value, so a message says what is allowed.
 */

/** Collects a repeatable option (`--file a --file b`) in the order given. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--max-deactivations`, `--requests-per-minute`: whole numbers from 1 up. */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(parsed)) {
    throw new InvalidArgumentError('Allowed: a whole number from 1 up, such as 25.');
  }
  return parsed;
}

/** `--plan-domains a.com,b.com`, repeatable: the lists are joined. */
export function domainList(value: string, previous: string[] | undefined): string[] {
  const domains = value.split(',').map((domain) => domain.trim());
  if (domains.some((domain) => domain === '')) {
    throw new InvalidArgumentError(
      'Allowed: a comma-separated list of domains, such as example.com,example.org.',
    );
  }
  return [...(previous ?? []), ...domains];
}

/** `--header 'Name: value'`, repeatable; a name given twice is refused rather than silently overwritten. */
export function header(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const match = /^([^:\s]+):(.*)$/.exec(value);
  if (!match) {
    throw new InvalidArgumentError(
      "Allowed: 'Name: value', a header name without spaces, a colon, then the value.",
    );
  }
  const name = match[1]!;
  const headers = { ...previous };
  if (Object.keys(headers).some((existing) => existing.toLowerCase() === name.toLowerCase())) {
    throw new InvalidArgumentError(`Allowed: each header name once; ${name} is already given.`);
  }
  headers[name] = match[2]!.trim();
  return headers;
}

const REGIONS = ['us', 'eu', 'au', 'gov'] as const;

/** `--region EU` is `eu`: any case. `gov` is passed on so core refuses it with its reason. */
export function region(value: string): (typeof REGIONS)[number] {
  const lower = value.trim().toLowerCase();
  const known = REGIONS.find((name) => name === lower);
  if (!known) {
    throw new InvalidArgumentError(
      'Allowed: us, eu or au, in any case (gov is refused: Smartsheet Gov cannot deactivate users).',
    );
  }
  return known;
}

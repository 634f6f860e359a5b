import { emailDomain, emailKey, normalizeDomain, normalizeEmail, SMARTSHEET_ISP_DOMAINS } from './emails.js';
import { ConfigError } from './errors.js';
import { parseUserId } from './ids.js';
import { labelFor, type OptionLabels } from './option-labels.js';
import type { PlanOptions, ReasonCode, SmartsheetUser, Target, UserId } from './types.js';

export interface EligibilityContext {
  caller?: { id: UserId; email: string };
  ispDomains: ReadonlySet<string>;
  planDomains?: ReadonlySet<string>;
  protectedIds: ReadonlySet<UserId>;
  protectedEmails: ReadonlySet<string>;
  allowAdmins: boolean;
  /** Plan IDs the organization's list does not hold (Enterprise Plan Manager child organizations). */
  allowChildOrganizations: boolean;
  /** The caller's names for the options, for messages that say which one to change. */
  labels: OptionLabels;
}

export type Eligibility = { eligible: true } | { eligible: false; reason: ReasonCode; message: string };

const ELIGIBLE: Eligibility = { eligible: true };

/**
 * Builds the context once per plan from the options (normalising domains, IDs and emails).
 * Throws a `ConfigError` naming the option and the value when one is not a domain, an ID or an email.
 * An empty `planDomains` list means no domain restriction (as if it were not given).
 */
export function eligibilityContext(
  options: PlanOptions,
  caller?: { id: UserId; email: string },
): EligibilityContext {
  const ispDomains = new Set(SMARTSHEET_ISP_DOMAINS);
  for (const domain of options.extraIspDomains ?? []) ispDomains.add(domainOption('extraIspDomains', domain));
  const planDomains = options.planDomains?.length
    ? new Set(options.planDomains.map((domain) => domainOption('planDomains', domain)))
    : undefined;
  const protectedIds = new Set<UserId>();
  const protectedEmails = new Set<string>();
  for (const entry of options.protectedUsers ?? []) {
    const value = entry.trim();
    if (value.includes('@')) {
      const email = normalizeEmail(value);
      if (!email.ok) throw new ConfigError('protectedUsers', value, email.problem);
      protectedEmails.add(email.value.email);
    } else {
      const id = parseUserId(value);
      if (!id.ok)
        throw new ConfigError('protectedUsers', value, `expected a user ID or an email; ${id.problem}`);
      protectedIds.add(id.value);
    }
  }
  return {
    ...(caller && { caller: { id: caller.id, email: emailKey(caller.email) } }),
    ispDomains,
    ...(planDomains && { planDomains }),
    protectedIds,
    protectedEmails,
    allowAdmins: options.allowAdmins ?? false,
    allowChildOrganizations: options.allowChildOrganizations ?? false,
    labels: options.labels ?? {},
  };
}

/**
 * Rules that need no request: decided from what the target itself names (self, protected, ISP domain,
 * outside the plan's domains, in that order). An ID-only target passes here; `checkUser` decides it later.
 */
export function checkTarget(target: Target, context: EligibilityContext): Eligibility {
  return firstRefusal({ id: target.id, email: target.email, who: target.given }, context);
}

/**
 * Every rule, once the user is known: self, protected (by ID or email), admin, external (the list says
 * `isInternal: false`), ISP domain, outside the plan's domains. Re-reads the email Smartsheet holds, so a target named by ID alone is still checked.
 */
export function checkUser(user: SmartsheetUser, context: EligibilityContext): Eligibility {
  const email = user.email ? emailKey(user.email) : undefined;
  const who = email ? `${email} (ID ${user.id})` : `User ${user.id}`;
  return firstRefusal({ id: user.id, email, who, user }, context);
}

interface Subject {
  id?: UserId;
  email?: string;
  /** How messages name the person. */
  who: string;
  user?: SmartsheetUser;
}

function firstRefusal(subject: Subject, context: EligibilityContext): Eligibility {
  const { id, email, who, user } = subject;
  const { caller } = context;
  if (caller && ((id && id === caller.id) || (email && email === caller.email))) {
    return refuse(
      'self',
      `${who} is the user whose token runs this; Smartsheet refuses to let a user deactivate themselves ` +
        '(error 1336): use another System Admin’s token',
    );
  }
  const protectedBy =
    id && context.protectedIds.has(id) ? 'ID' : email && context.protectedEmails.has(email) ? 'email' : '';
  if (protectedBy) {
    return refuse(
      'protected',
      `${who} is on the protected users list (by ${protectedBy}), so it is never changed`,
    );
  }
  if (user && (user.admin || user.groupAdmin) && !context.allowAdmins) {
    const role = user.admin ? 'a System Admin' : 'a Group Admin';
    return refuse(
      'admin',
      `${who} is ${role}; admins are not deactivated unless admins are allowed (${labelFor('allowAdmins', context.labels)})`,
    );
  }
  if (user?.isInternal === false) {
    return refuse(
      'external-user',
      `${who} is not internal to your organization (Smartsheet lists it with isInternal: false); ` +
        'Smartsheet refuses to deactivate external users (error 1004): they belong to another organization',
    );
  }
  if (!email) return ELIGIBLE;
  const domain = emailDomain(email);
  if (context.ispDomains.has(domain)) {
    return refuse(
      'isp-domain',
      `${email} is on a common ISP domain (${domain}); Smartsheet refuses to deactivate such accounts ` +
        '(error 1359): remove the user from the org instead',
    );
  }
  if (context.planDomains && !context.planDomains.has(domain)) {
    return refuse(
      'outside-plan-domains',
      `${email} is outside the plan's domains (${[...context.planDomains].join(', ')}); only users on those ` +
        `domains are deactivated: add the domain to ${labelFor('planDomains', context.labels)} if it belongs to your plan`,
    );
  }
  return ELIGIBLE;
}

function refuse(reason: ReasonCode, message: string): Eligibility {
  return { eligible: false, reason, message };
}

function domainOption(input: string, value: string): string {
  const domain = normalizeDomain(value);
  if (!domain.ok) throw new ConfigError(input, value, domain.problem);
  return domain.value;
}

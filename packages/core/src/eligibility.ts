import type { PlanOptions, ReasonCode, SmartsheetUser, Target, UserId } from './types.js';

export interface EligibilityContext {
  caller?: { id: UserId; email: string };
  ispDomains: ReadonlySet<string>;
  planDomains?: ReadonlySet<string>;
  protectedIds: ReadonlySet<UserId>;
  protectedEmails: ReadonlySet<string>;
  allowAdmins: boolean;
}

export type Eligibility = { eligible: true } | { eligible: false; reason: ReasonCode; message: string };

/** Builds the context once per plan from the options (normalising domains, IDs and emails). */
export function eligibilityContext(
  options: PlanOptions,
  caller?: { id: UserId; email: string },
): EligibilityContext {
  throw new Error(`not implemented: eligibilityContext(${JSON.stringify(options)}, ${caller?.id})`);
}

/** Rules that need no request: decided from what the target itself names. */
export function checkTarget(target: Target, context: EligibilityContext): Eligibility {
  throw new Error(`not implemented: checkTarget(${target.given}, ${context.allowAdmins})`);
}

/** Every rule, once the user is known. */
export function checkUser(user: SmartsheetUser, context: EligibilityContext): Eligibility {
  throw new Error(`not implemented: checkUser(${user.id}, ${context.allowAdmins})`);
}

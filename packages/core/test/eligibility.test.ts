import { describe, expect, it } from 'vitest';
import { checkTarget, checkUser, eligibilityContext } from '../src/eligibility.js';
import { ConfigError } from '../src/errors.js';
import type { SmartsheetUser, Target } from '../src/types.js';

const caller = { id: '1111111111111111', email: 'Admin@Example.com' };
const source = { file: 'offboarding/a.yaml', line: 2 };

function target(given: string, fields: Partial<Target> = {}): Target {
  return { given, source, ...fields };
}

function user(fields: Partial<SmartsheetUser> = {}): SmartsheetUser {
  return { id: '48569348493401200', email: 'jane.doe@example.com', status: 'ACTIVE', ...fields };
}

describe('eligibilityContext', () => {
  it('normalises domains, protected users and the caller', () => {
    const context = eligibilityContext(
      {
        planDomains: [' Example.COM. ', 'bücher.de'],
        extraIspDomains: ['ISP.example'],
        protectedUsers: ['4583173393803140', ' CEO@Example.com '],
      },
      caller,
    );
    expect([...context.planDomains!]).toEqual(['example.com', 'xn--bcher-kva.de']);
    expect(context.ispDomains.has('gmail.com')).toBe(true);
    expect(context.ispDomains.has('isp.example')).toBe(true);
    expect([...context.protectedIds]).toEqual(['4583173393803140']);
    expect([...context.protectedEmails]).toEqual(['ceo@example.com']);
    expect(context.caller).toEqual({ id: '1111111111111111', email: 'admin@example.com' });
    expect(context.allowAdmins).toBe(false);
  });

  it('treats an empty plan-domains list as no restriction', () => {
    expect(eligibilityContext({ planDomains: [] }).planDomains).toBeUndefined();
  });

  it.each([
    [{ planDomains: ['example'] }, 'planDomains', /"example"/],
    [{ extraIspDomains: ['gmаil.com'] }, 'extraIspDomains', /looks like gmail\.com/],
    [{ protectedUsers: ['007'] }, 'protectedUsers', /leading zeros/],
    [{ protectedUsers: ['bob@'] }, 'protectedUsers', /domain is empty/],
  ])('refuses a bad option %j naming the input and value', (options, input, why) => {
    let thrown: unknown;
    try {
      eligibilityContext(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).input).toBe(input);
    expect((thrown as ConfigError).message).toMatch(why);
  });
});

describe('checkTarget (before any request)', () => {
  const context = eligibilityContext(
    { planDomains: ['example.com'], protectedUsers: ['4583173393803140', 'ceo@example.com'] },
    caller,
  );

  it('lets an ordinary target through', () => {
    expect(checkTarget(target('jane.doe@example.com', { email: 'jane.doe@example.com' }), context)).toEqual({
      eligible: true,
    });
    expect(checkTarget(target('48569348493401200', { id: '48569348493401200' }), context)).toEqual({
      eligible: true,
    });
  });

  it('blocks an email on a common ISP domain with the sentence an admin needs', () => {
    const noPlanDomains = eligibilityContext({});
    expect(checkTarget(target('Jane@Gmail.com', { email: 'jane@gmail.com' }), noPlanDomains)).toEqual({
      eligible: false,
      reason: 'isp-domain',
      message:
        'jane@gmail.com is on a common ISP domain (gmail.com); Smartsheet refuses to deactivate such accounts (error 1359): remove the user from the org instead',
    });
  });

  it('matches ISP domains exactly, as Smartsheet does: a subdomain is not an ISP domain', () => {
    const noPlanDomains = eligibilityContext({ extraIspDomains: ['isp.example'] });
    expect(checkTarget(target('a@isp.example', { email: 'a@isp.example' }), noPlanDomains)).toMatchObject({
      reason: 'isp-domain',
    });
    expect(checkTarget(target('a@mail.gmail.com', { email: 'a@mail.gmail.com' }), noPlanDomains)).toEqual({
      eligible: true,
    });
  });

  it('blocks an email outside the plan domains; subdomains must be listed themselves', () => {
    expect(checkTarget(target('a@other.org', { email: 'a@other.org' }), context)).toMatchObject({
      eligible: false,
      reason: 'outside-plan-domains',
      message: expect.stringContaining("a@other.org is outside the plan's domains (example.com)"),
    });
    expect(checkTarget(target('a@eu.example.com', { email: 'a@eu.example.com' }), context)).toMatchObject({
      reason: 'outside-plan-domains',
    });
  });

  it('blocks a protected user named by ID or by email', () => {
    expect(checkTarget(target('4583173393803140', { id: '4583173393803140' }), context)).toMatchObject({
      reason: 'protected',
      message: expect.stringMatching(/4583173393803140 is on the protected users list \(by ID\)/),
    });
    expect(checkTarget(target('CEO@example.com', { email: 'ceo@example.com' }), context)).toMatchObject({
      reason: 'protected',
      message: expect.stringMatching(/by email/),
    });
  });

  it('blocks the caller, by ID or by email', () => {
    expect(checkTarget(target('1111111111111111', { id: '1111111111111111' }), context)).toMatchObject({
      reason: 'self',
    });
    expect(checkTarget(target('admin@example.com', { email: 'admin@example.com' }), context)).toMatchObject({
      reason: 'self',
      message: expect.stringMatching(/error 1336/),
    });
  });

  it('applies rules in the order self, protected, isp-domain, outside-plan-domains', () => {
    const everything = eligibilityContext(
      { planDomains: ['example.com'], protectedUsers: ['me@gmail.com', 'p@gmail.com'] },
      { id: '1', email: 'me@gmail.com' },
    );
    expect(checkTarget(target('me@gmail.com', { email: 'me@gmail.com' }), everything)).toMatchObject({
      reason: 'self',
    });
    expect(checkTarget(target('p@gmail.com', { email: 'p@gmail.com' }), everything)).toMatchObject({
      reason: 'protected',
    });
    expect(checkTarget(target('x@gmail.com', { email: 'x@gmail.com' }), everything)).toMatchObject({
      reason: 'isp-domain',
    });
  });

  it('cannot decide the admin rule from a target alone', () => {
    expect(
      checkTarget(target('48569348493401200', { id: '48569348493401200' }), eligibilityContext({})),
    ).toEqual({ eligible: true });
  });
});

describe('checkUser (once the user is known)', () => {
  const context = eligibilityContext({ protectedUsers: ['ceo@example.com', '4583173393803140'] }, caller);

  it('lets an ordinary user through', () => {
    expect(checkUser(user(), context)).toEqual({ eligible: true });
  });

  it('blocks admins and group admins unless admins are allowed', () => {
    expect(checkUser(user({ admin: true }), context)).toMatchObject({
      reason: 'admin',
      message: expect.stringMatching(/jane\.doe@example\.com \(ID 48569348493401200\) is a System Admin/),
    });
    expect(checkUser(user({ groupAdmin: true }), context)).toMatchObject({
      reason: 'admin',
      message: expect.stringMatching(/Group Admin/),
    });
    const allowing = eligibilityContext({ allowAdmins: true }, caller);
    expect(checkUser(user({ admin: true, groupAdmin: true }), allowing)).toEqual({ eligible: true });
  });

  it('re-checks the email Smartsheet holds: an ID-only target on an ISP domain is still caught', () => {
    expect(checkTarget(target('48569348493401200', { id: '48569348493401200' }), context)).toEqual({
      eligible: true,
    });
    expect(checkUser(user({ email: 'Joe@GMAIL.com' }), context)).toMatchObject({
      reason: 'isp-domain',
      message: expect.stringMatching(/^joe@gmail\.com is on a common ISP domain \(gmail\.com\)/),
    });
  });

  it('protects a user named in the list by email even when the target gave only the ID, and vice versa', () => {
    expect(checkUser(user({ email: 'CEO@example.com' }), context)).toMatchObject({ reason: 'protected' });
    expect(checkUser(user({ id: '4583173393803140' }), context)).toMatchObject({ reason: 'protected' });
  });

  it('blocks the caller found by email or by ID', () => {
    expect(checkUser(user({ email: 'admin@EXAMPLE.com' }), context)).toMatchObject({ reason: 'self' });
    expect(checkUser(user({ id: caller.id }), context)).toMatchObject({ reason: 'self' });
  });

  it('applies rules in the order self, protected, admin, isp-domain, outside-plan-domains', () => {
    const strict = eligibilityContext(
      { planDomains: ['example.com'], protectedUsers: ['p@gmail.com'] },
      { id: '1', email: 'me@gmail.com' },
    );
    expect(checkUser(user({ id: '1', email: 'me@gmail.com', admin: true }), strict)).toMatchObject({
      reason: 'self',
    });
    expect(checkUser(user({ email: 'p@gmail.com', admin: true }), strict)).toMatchObject({
      reason: 'protected',
    });
    expect(checkUser(user({ email: 'x@gmail.com', admin: true }), strict)).toMatchObject({ reason: 'admin' });
    expect(checkUser(user({ email: 'x@gmail.com' }), strict)).toMatchObject({ reason: 'isp-domain' });
    expect(checkUser(user({ email: 'x@other.org' }), strict)).toMatchObject({
      reason: 'outside-plan-domains',
    });
  });
});

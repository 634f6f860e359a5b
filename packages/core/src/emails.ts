import { domainToASCII, domainToUnicode } from 'node:url';
import type { ParseResult } from './ids.js';
import { quoteValue } from './quote.js';

export interface NormalizedEmail {
  email: string;
  /** ASCII (punycode) domain without trailing dot. */
  domain: string;
}

/** The ISP domains Smartsheet names as undeactivatable (403/1359). Not a closed list: callers extend it. */
export const SMARTSHEET_ISP_DOMAINS: readonly string[] = Object.freeze([
  'aol.com',
  'charter.net',
  'comcast.net',
  'duck.com',
  'email.com',
  'gmail.com',
  'hotmail.com',
  'icloud.com',
  'live.com',
  'mail.com',
  'mail.ru',
  'outlook.com',
  'rocketmail.com',
  'usa.com',
  'verizon.net',
  'web.de',
  'yahoo.com',
]);

/** RFC 5321's limits: the whole address, the part before `@`, and a domain name. */
export const EMAIL_LIMITS = { maxLength: 254, maxLocalLength: 64, maxDomainLength: 253 } as const;

// RFC 5322 dot-atom, ASCII only: quoted local parts and internationalised local parts are not
// something a Smartsheet account is created with, and they hide look-alikes.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Trim, lower-case, IDN to ASCII, drop a trailing dot; reject what Smartsheet could never hold. */
export function normalizeEmail(raw: unknown): ParseResult<NormalizedEmail> {
  if (typeof raw !== 'string') return { ok: false, problem: 'An email must be text' };
  const trimmed = raw.trim();
  const refuse = (why: string) => ({
    ok: false as const,
    problem: `${quoteValue(trimmed)} is not an email: ${why}`,
  });
  if (trimmed === '') return { ok: false, problem: 'An empty value is not an email' };
  // Long enough to be rejected anyway: refuse before any IDN work on hostile input.
  if (trimmed.length > EMAIL_LIMITS.maxLength * 4)
    return refuse(`it is longer than ${EMAIL_LIMITS.maxLength} characters`);
  const at = trimmed.indexOf('@');
  if (at === -1) return refuse('it has no @');
  if (trimmed.indexOf('@', at + 1) !== -1) return refuse('it has more than one @');
  const local = trimmed.slice(0, at).toLowerCase();
  const localProblem = checkLocalPart(local);
  if (localProblem) return refuse(localProblem);
  const domain = toAsciiDomain(trimmed.slice(at + 1));
  if (!domain.ok) {
    return {
      ok: false,
      problem: `${quoteValue(trimmed)} ${domain.confusable ? '' : 'is not an email: '}${domain.problem}`,
    };
  }
  const email = `${local}@${domain.value}`;
  if (email.length > EMAIL_LIMITS.maxLength)
    return refuse(`it is longer than ${EMAIL_LIMITS.maxLength} characters`);
  return { ok: true, value: { email, domain: domain.value } };
}

/**
 * Normalises a domain the way `normalizeEmail` normalises an email's domain (for plan domains and
 * extra ISP domains), so comparisons are between equal spellings.
 */
export function normalizeDomain(raw: unknown): ParseResult<string> {
  if (typeof raw !== 'string') return { ok: false, problem: 'A domain must be text' };
  const trimmed = raw.trim();
  const domain = toAsciiDomain(trimmed);
  if (domain.ok) return domain;
  return {
    ok: false,
    problem: `${quoteValue(trimmed)} ${domain.confusable ? '' : 'is not a domain name: '}${domain.problem}`,
  };
}

/**
 * The form in which an email Smartsheet returned is compared with target emails (which `normalizeEmail`
 * produced): the same normalisation, and for an address it would refuse, still a case-insensitive form,
 * so an odd address on Smartsheet's side is compared rather than dropped.
 */
export function emailKey(email: string): string {
  const normalized = normalizeEmail(email);
  return normalized.ok ? normalized.value.email : email.trim().toLowerCase();
}

const PUNYCODE_LABEL = /(?:^|\.)xn--/;

/**
 * The spellings to ask Smartsheet for an email normalised by `normalizeEmail`: it, and for an
 * internationalised domain its Unicode form too, since Smartsheet may hold either and its filter
 * compares text. The answers are matched back through `emailKey`, so both name the same person.
 */
export function emailSpellings(email: string): string[] {
  const domain = emailDomain(email);
  if (!PUNYCODE_LABEL.test(domain)) return [email];
  const unicode = `${email.slice(0, email.length - domain.length)}${domainToUnicode(domain)}`;
  return unicode === email ? [email] : [email, unicode];
}

/** The domain of an email already normalised by `normalizeEmail`. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

function checkLocalPart(local: string): string | undefined {
  if (local === '') return 'nothing comes before the @';
  if (local.length > EMAIL_LIMITS.maxLocalLength) {
    return `the part before the @ is longer than ${EMAIL_LIMITS.maxLocalLength} characters`;
  }
  if (LOCAL_PART.test(local)) return undefined;
  if (/\s/.test(local)) return 'it contains a space';
  if (/^\.|\.$|\.\./.test(local))
    return 'the part before the @ starts or ends with a dot, or has two dots in a row';
  return "the part before the @ may only hold ASCII letters, digits, dots and !#$%&'*+/=?^_`{|}~-";
}

type DomainResult = { ok: true; value: string } | { ok: false; problem: string; confusable?: boolean };

// Lower-case ASCII labels under a top-level label of letters, none of them punycode: IDNA and the host
// parser leave such a name as it is and it can hold no look-alike, so the checks below would pass it
// unchanged. Most addresses are written so, and a user list holds thousands of them.
const PLAIN_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{1,63}$/;

function toAsciiDomain(input: string): DomainResult {
  const withoutDot = input.endsWith('.') ? input.slice(0, -1) : input;
  if (
    withoutDot.length <= EMAIL_LIMITS.maxDomainLength &&
    PLAIN_DOMAIN.test(withoutDot) &&
    !withoutDot.includes('xn--')
  ) {
    return { ok: true, value: withoutDot };
  }
  if (withoutDot === '') return { ok: false, problem: 'the domain is empty' };
  if (/\s/.test(withoutDot)) return { ok: false, problem: 'the domain contains a space' };
  const ascii = domainToASCII(withoutDot);
  if (ascii === '')
    return { ok: false, problem: `the domain ${quoteValue(withoutDot)} is not a valid domain name` };
  const syntaxProblem = checkDomainSyntax(ascii);
  if (syntaxProblem) return { ok: false, problem: syntaxProblem };
  const confusable = confusableProblem(domainToUnicode(ascii), ascii);
  if (confusable) return { ok: false, problem: confusable, confusable: true };
  return { ok: true, value: ascii };
}

function checkDomainSyntax(ascii: string): string | undefined {
  if (ascii.length > EMAIL_LIMITS.maxDomainLength) {
    return `the domain is longer than ${EMAIL_LIMITS.maxDomainLength} characters`;
  }
  const labels = ascii.split('.');
  if (labels.length < 2) return `the domain ${quoteValue(ascii)} has no dot`;
  for (const label of labels) {
    if (label === '') return `the domain ${quoteValue(ascii)} has an empty part between dots`;
    if (!DOMAIN_LABEL.test(label)) {
      return (
        `the domain part ${quoteValue(label)} may only hold letters, digits and inner hyphens ` +
        '(at most 63 characters)'
      );
    }
  }
  if (!/[a-z]/.test(labels[labels.length - 1]!)) return `the domain ${quoteValue(ascii)} ends in a number`;
  return undefined;
}

// Scripts that appear in real domain names. The combinations allowed together follow Unicode's
// "highly restrictive" profile (UTS #39): Latin may mix only with the scripts of Chinese, Japanese
// and Korean writing.
const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Devanagari',
  'Thai',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Bopomofo',
  'Cherokee',
] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((script) => ({
  script,
  pattern: new RegExp(`^\\p{Script=${script}}$`, 'u'),
}));
const ALLOWED_MIXES: readonly ReadonlySet<string>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

// Letters of other scripts that render like a Latin letter in most fonts (a strict subset of Unicode's
// confusables.txt: weaker pairs such as Cyrillic т/t would flag genuine Cyrillic names).
const LATIN_LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a',
  с: 'c',
  ԁ: 'd',
  е: 'e',
  һ: 'h',
  і: 'i',
  ј: 'j',
  к: 'k',
  ӏ: 'l',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  ѕ: 's',
  у: 'y',
  ѵ: 'v',
  ԝ: 'w',
  х: 'x',
  // Greek
  α: 'a',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  υ: 'u',
  χ: 'x',
  // Armenian
  օ: 'o',
  ս: 'u',
  հ: 'h',
  ո: 'n',
  զ: 'q',
  ց: 'g',
};

function scriptOf(char: string): string | undefined {
  if (!/\p{L}/u.test(char)) return undefined; // digits, hyphens and marks belong to no script here
  return SCRIPT_PATTERNS.find(({ pattern }) => pattern.test(char))?.script ?? 'another script';
}

function scriptsOf(label: string): Set<string> {
  const scripts = new Set<string>();
  for (const char of label) {
    const script = scriptOf(char);
    if (script) scripts.add(script);
  }
  return scripts;
}

function isAllowedMix(scripts: ReadonlySet<string>): boolean {
  if (scripts.size <= 1) return true;
  return ALLOWED_MIXES.some((allowed) => [...scripts].every((script) => allowed.has(script)));
}

/** What the domain would read as if its look-alike letters were the Latin ones, when every one has a twin. */
function latinSkeleton(unicodeDomain: string): string | undefined {
  let skeleton = '';
  for (const char of unicodeDomain) {
    const script = scriptOf(char);
    if (script === undefined || script === 'Latin') skeleton += char;
    else if (LATIN_LOOK_ALIKES[char]) skeleton += LATIN_LOOK_ALIKES[char];
    else return undefined;
  }
  return skeleton;
}

function listScripts(scripts: ReadonlySet<string>): string {
  // Latin first: the message reads "mixes Latin and Cyrillic" whichever letter came first.
  const names = [...scripts].sort((a, b) => Number(b === 'Latin') - Number(a === 'Latin'));
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Look-alike domains (`gmаil.com` with a Cyrillic `а`) would dodge the ISP and plan-domain rules while
 * reading like the real thing to a reviewer, so they are refused with a message that says what they mimic.
 */
function confusableProblem(unicodeDomain: string, ascii: string): string | undefined {
  const labels = unicodeDomain.split('.');
  const skeleton = latinSkeleton(unicodeDomain);
  const looksLike = skeleton && skeleton !== unicodeDomain ? `; it looks like ${skeleton}` : '';
  for (const label of labels) {
    const scripts = scriptsOf(label);
    if (!isAllowedMix(scripts)) {
      return (
        `has a domain part ${quoteValue(label)} that mixes ${listScripts(scripts)} letters (${ascii})${looksLike}: ` +
        'type the address with the letters of one script'
      );
    }
  }
  // A whole label in look-alike letters next to Latin labels (`gmail.соm`) is as misleading as a mix.
  const labelScripts = new Set(labels.flatMap((label) => [...scriptsOf(label)]));
  if (labelScripts.has('Latin') && labelScripts.size > 1 && looksLike) {
    return (
      `has a domain that mixes ${listScripts(labelScripts)} letters (${ascii})${looksLike}: ` +
      'type the address with the letters of one script'
    );
  }
  return undefined;
}

import { quoteValue } from '../quote.js';
import type { Finding, FindingCode, Target, TargetSource } from '../types.js';

/**
 * Problems across all loaded targets: the same person twice, an ID given with two different emails
 * (or an email with two IDs). Each finding sits at the second place and names the first.
 */
export function crossCheckTargets(targets: readonly Target[]): Finding[] {
  return findRepeats(targets).findings;
}

/** The repeat findings, and the targets they are about (dropped by the caller: only the first one counts). */
export function findRepeats(targets: readonly Target[]): { findings: Finding[]; repeated: Set<Target> } {
  const byId = new Map<string, Target>();
  const byEmail = new Map<string, Target>();
  const findings: Finding[] = [];
  const repeated = new Set<Target>();
  for (const target of targets) {
    const sameId = target.id === undefined ? undefined : byId.get(target.id);
    const sameEmail = target.email === undefined ? undefined : byEmail.get(target.email);
    const first = sameId ?? sameEmail;
    if (!first) {
      if (target.id !== undefined) byId.set(target.id, target);
      if (target.email !== undefined) byEmail.set(target.email, target);
      continue;
    }
    repeated.add(target);
    const where = describeSource(first.source, target.source);
    let code: FindingCode = 'duplicate';
    let message = `${quoteValue(target.given)} names a user already listed (${quoteValue(first.given)} at ${where}): list each user once`;
    if (sameId?.email && target.email && sameId.email !== target.email) {
      code = 'conflict';
      message = `User ID ${target.id} is given here with the email ${target.email} but with ${sameId.email} at ${where}: one ID is one person; fix the ID or the email`;
    } else if (sameEmail?.id && target.id && sameEmail.id !== target.id) {
      code = 'conflict';
      message = `${target.email} is given here with the user ID ${target.id} but with ${sameEmail.id} at ${where}: one email is one person; fix the ID or the email`;
    }
    findings.push({ ...locate(target.source), code, message });
  }
  return { findings, repeated };
}

function locate(source: TargetSource): Pick<Finding, 'source' | 'file' | 'line'> {
  return 'file' in source
    ? { source: 'file', file: source.file, line: source.line }
    : { source: 'input', file: source.input, line: source.position ?? 1 };
}

function describeSource(source: TargetSource, from: TargetSource): string {
  const { file, line } = locate(source);
  const sameFile = locate(from).file === file;
  if ('input' in source) return `${sameFile ? '' : `${file} `}position ${line}`;
  return `${sameFile ? '' : `${file} `}line ${line}`;
}

import { normalizeEmail } from '../emails.js';
import { parseUserId } from '../ids.js';
import type { Target, TargetSource } from '../types.js';
import { FileFindings } from './findings.js';
import type { ParsedTargets } from './index.js';
import { findRepeats } from './repeats.js';

/** Targets given directly (action inputs, CLI options); `names` label them in findings. */
export function targetsFromInputs(
  input: { userIds?: readonly string[]; emails?: readonly string[] },
  names: { userIds: string; emails: string } = { userIds: 'userIds', emails: 'emails' },
): ParsedTargets {
  const targets: Target[] = [];
  const findings = [
    new FileFindings(names.userIds, 'input'),
    new FileFindings(names.emails, 'input'),
  ] as const;
  const read = (values: readonly string[] | undefined, kind: 'id' | 'email', found: FileFindings) => {
    const name = found.file;
    let position = 0;
    for (const piece of (values ?? []).flatMap((value) => value.split(/[,\r\n]/))) {
      const given = piece.trim();
      if (given === '') continue;
      position += 1;
      const parsed = kind === 'id' ? parseUserId(given) : normalizeEmail(given);
      if (!parsed.ok) {
        found.add(position, `malformed-${kind}`, inputHint(parsed.problem, given, kind, names));
        continue;
      }
      const source: TargetSource = { input: name, position };
      targets.push(
        typeof parsed.value === 'string'
          ? { id: parsed.value, given, source }
          : { email: parsed.value.email, given, source },
      );
    }
  };
  read(input.userIds, 'id', findings[0]);
  read(input.emails, 'email', findings[1]);
  const repeats = findRepeats(targets);
  return {
    targets: targets.filter((target) => !repeats.repeated.has(target)),
    findings: [...findings[0].list, ...findings[1].list, ...repeats.findings],
  };
}

function inputHint(
  problem: string,
  given: string,
  kind: 'id' | 'email',
  names: { userIds: string; emails: string },
) {
  if (kind === 'id' && given.includes('@')) return `${problem}; give emails in ${names.emails}`;
  if (kind === 'email' && /^\d+$/.test(given)) return `${problem}; give user IDs in ${names.userIds}`;
  return problem;
}

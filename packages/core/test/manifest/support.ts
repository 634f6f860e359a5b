import { readFileSync } from 'node:fs';
import { parseOffboardingFile } from '../../src/manifest/index.js';
import type { Finding } from '../../src/types.js';

export const BIG_ID = '48569348493401200';

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/manifests/${name}`, import.meta.url));
}

export function parseFixture(name: string) {
  return parseOffboardingFile(`offboarding/${name}`, fixture(name));
}

/** CPU time of this test process since the call, in ms: unlike wall time, other work on a loaded machine does not count. */
export function cpuMs(): { since(): number } {
  const before = process.cpuUsage();
  return {
    since() {
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    },
  };
}

/** [line, code] pairs, the shape most assertions care about. */
export function where(findings: readonly Finding[]): [number, string][] {
  return findings.map((finding) => [finding.line, finding.code]);
}

export function messageAt(findings: readonly Finding[], line: number): string {
  return findings
    .filter((finding) => finding.line === line)
    .map((finding) => finding.message)
    .join(' / ');
}

// Benchmark 4: validating a 10,000-entry offboarding file of each format (time and peak memory).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseOffboardingFile } from '@smartsheet-offboard/core';
import { median } from './stats.mjs';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./files-child.mjs', import.meta.url));
export const FILE_ENTRIES = 10_000;

/** Entry `i` alternates emails and 16–17-digit IDs (some above 2^53), half of them with a reason and ticket. */
function entry(i) {
  const byId = i % 3 === 0;
  return {
    id: byId ? String(4_583_173_393_803_140n + BigInt(i) * 1_000_003_117n) : undefined,
    email: byId ? undefined : `leaver.${i}@example.com`,
    reason: i % 2 === 0 ? `Left the company (batch ${i % 17})` : undefined,
    ticket: i % 2 === 0 ? `HR-${10_000 + i}` : undefined,
  };
}

const entries = Array.from({ length: FILE_ENTRIES }, (_, i) => entry(i));

const FORMATS = {
  yaml: () =>
    `users:\n${entries
      .map((e) =>
        [
          e.id ? `  - id: ${e.id}` : `  - email: ${e.email}`,
          e.reason ? `    reason: ${e.reason}` : undefined,
          e.ticket ? `    ticket: ${e.ticket}` : undefined,
        ]
          .filter(Boolean)
          .join('\n'),
      )
      .join('\n')}\n`,
  // IDs written as bare numbers: the parser must read them exactly, above 2^53 too.
  json: () =>
    `{"users":[\n${entries
      .map((e) =>
        [
          e.id ? `"id":${e.id}` : `"email":${JSON.stringify(e.email)}`,
          e.reason ? `"reason":${JSON.stringify(e.reason)}` : undefined,
          e.ticket ? `"ticket":${JSON.stringify(e.ticket)}` : undefined,
        ]
          .filter(Boolean)
          .join(','),
      )
      .map((fields) => `{${fields}}`)
      .join(',\n')}\n]}\n`,
  csv: () =>
    `id,email,reason,ticket\n${entries
      .map((e) => [e.id ?? '', e.email ?? '', e.reason ?? '', e.ticket ?? ''].join(','))
      .join('\n')}\n`,
  txt: () => `# ${FILE_ENTRIES} leavers\n${entries.map((e) => e.id ?? e.email).join('\n')}\n`,
};

/** Runs the parser in a fresh process so its peak RSS is the parse's alone, not the bench's. */
async function measureInChild(path) {
  const { stdout } = await run(process.execPath, [CHILD, path]);
  return JSON.parse(stdout);
}

export async function benchFiles({ runs = 7 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'offboard-bench-files-'));
  try {
    const rows = [];
    for (const [format, render] of Object.entries(FORMATS)) {
      const path = join(dir, `leavers.${format}`);
      await writeFile(path, render());
      const content = await readFile(path);
      const times = [];
      let parsed;
      for (let i = 0; i < runs + 1; i++) {
        const start = performance.now();
        parsed = parseOffboardingFile(`leavers.${format}`, content);
        if (i > 0) times.push(performance.now() - start); // the first run warms the JIT up
      }
      if (parsed.targets.length !== FILE_ENTRIES || parsed.findings.length > 0) {
        throw new Error(
          `leavers.${format}: expected ${FILE_ENTRIES} targets and no finding, got ${parsed.targets.length} and ${JSON.stringify(parsed.findings.slice(0, 3))}`,
        );
      }
      const child = await measureInChild(path);
      rows.push({ format, bytes: content.length, warmMs: median(times), ...child });
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

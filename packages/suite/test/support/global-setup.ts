import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { leaksToken } from './secret.js';

declare module 'vitest' {
  export interface ProvidedContext {
    outputsDir: string;
  }
}

/**
 * Every test file writes what its runs showed (stdout, stderr, reports, summaries, comments,
 * annotations, outputs) into one directory; after the last test the whole collection is searched
 * for the token, so a leak anywhere in the suite fails the run even if a test forgot to look.
 */
export default async function setup(project: TestProject) {
  const outputsDir = await mkdtemp(join(tmpdir(), 'offboard-suite-outputs-'));
  project.provide('outputsDir', outputsDir);
  return async () => {
    try {
      const files = await readdir(outputsDir);
      if (files.length === 0)
        throw new Error('The suite collected no output: the token-leak sweep had nothing to search');
      for (const file of files) {
        if (leaksToken(await readFile(join(outputsDir, file), 'utf8'))) {
          throw new Error(`The Smartsheet token appeared in the outputs collected in ${file}`);
        }
      }
    } catch (error) {
      // Vitest reports a teardown error but still exits 0: the exit code has to be set here.
      process.exitCode = 1;
      throw error;
    } finally {
      await rm(outputsDir, { recursive: true, force: true });
    }
  };
}

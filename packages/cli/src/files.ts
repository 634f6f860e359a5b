import { open } from 'node:fs/promises';
import { MANIFEST_LIMITS, OFFBOARDING_FILE_EXTENSIONS } from '@smartsheet-offboard/core';
import { UsageError } from './errors.js';

/** `.yml, .yaml, .json, .csv or .txt`: the endings core reads, as help and errors name them. */
export const FILE_KINDS = `${OFFBOARDING_FILE_EXTENSIONS.slice(0, -1).join(', ')} or ${OFFBOARDING_FILE_EXTENSIONS.at(-1)}`;

export interface LoadedFile {
  path: string;
  content: Uint8Array;
}

/**
 * Reads offboarding files for core, which judges them. At most one byte past core's size limit is
 * read, enough for core to report the file as too large without loading a huge file into memory.
 */
export async function readOffboardingFiles(paths: readonly string[], option: string): Promise<LoadedFile[]> {
  const reads = await Promise.allSettled(paths.map((path) => readBounded(path, option)));
  // Every unreadable file at once, so one fix-and-rerun is enough rather than one per file.
  const problems = reads.flatMap((read) => (read.status === 'rejected' ? [read.reason as Error] : []));
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new UsageError(problems.map((problem) => problem.message).join('\n       '));
  return reads.map((read) => (read as PromiseFulfilledResult<LoadedFile>).value);
}

async function readBounded(path: string, option: string): Promise<LoadedFile> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const buffer = new Uint8Array(Math.min(size, MANIFEST_LIMITS.maxBytes) + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      return { path, content: buffer.subarray(0, length) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String((error as Error).message);
    throw new UsageError(
      `Cannot read ${option} ${JSON.stringify(path)}: ${why}. Allowed: a readable offboarding file (${FILE_KINDS}).`,
    );
  }
}

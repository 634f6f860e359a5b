import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkspaceFiles } from '../src/workspace.js';

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'offboard-workspace-'));
  await mkdir(join(dir, 'offboarding', '2026'), { recursive: true });
  await writeFile(join(dir, 'offboarding', 'b.txt'), '1\n');
  await writeFile(join(dir, 'offboarding', '2026', 'a.csv'), 'id\n2\n');
  await writeFile(join(dir, 'offboarding', 'notes.md'), '# not an offboarding file\n');
  return dir;
}

describe('readWorkspaceFiles', () => {
  it('reads the matching files in path order, as bytes', async () => {
    const dir = await workspace();
    const files = await readWorkspaceFiles(dir, ['offboarding/**/*.{csv,txt}']);
    expect(files.map((file) => [file.path, Buffer.from(file.content).toString('utf8')])).toEqual([
      ['offboarding/2026/a.csv', 'id\n2\n'],
      ['offboarding/b.txt', '1\n'],
    ]);
  });

  it('refuses a matching link that leads outside the workspace', async () => {
    const dir = await workspace();
    const outside = await mkdtemp(join(tmpdir(), 'offboard-outside-'));
    await writeFile(join(outside, 'secret.txt'), 'do not read\n');
    await symlink(join(outside, 'secret.txt'), join(dir, 'offboarding', 'leak.txt'));
    await expect(readWorkspaceFiles(dir, ['offboarding/*.txt'])).rejects.toThrow(
      'offboarding/leak.txt matches manifest-paths but links outside the repository; refusing to read it',
    );
  });

  it('reads a link that stays inside the workspace', async () => {
    const dir = await workspace();
    await symlink(join(dir, 'offboarding', 'b.txt'), join(dir, 'offboarding', 'alias.txt'));
    const files = await readWorkspaceFiles(dir, ['offboarding/*.txt']);
    expect(files.map((file) => file.path)).toEqual(['offboarding/alias.txt', 'offboarding/b.txt']);
  });
});

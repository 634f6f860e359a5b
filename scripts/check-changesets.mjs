// Fails when a changeset's front-matter would not be read by `changeset version`: formatters have
// turned the `---` block into a heading before, and the release then silently skips the change.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packageNames = new Set(
  ['packages', 'bench', 'tools'].flatMap((folder) =>
    readdirSync(join(root, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => {
        try {
          return [JSON.parse(readFileSync(join(root, folder, entry.name, 'package.json'), 'utf8')).name];
        } catch {
          return [];
        }
      }),
  ),
);

const problems = [];
const changesetDir = join(root, '.changeset');
for (const name of readdirSync(changesetDir).filter((file) => file.endsWith('.md') && file !== 'README.md')) {
  const text = readFileSync(join(changesetDir, name), 'utf8');
  const frontMatter = /^---\n((?:.*\n)*?)---\n\s*\S/.exec(text);
  if (!frontMatter) {
    problems.push(`${name}: must start with a --- block naming packages, then a description`);
    continue;
  }
  const lines = frontMatter[1].split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) problems.push(`${name}: names no package`);
  for (const line of lines) {
    const bump = /^"([^"]+)": (major|minor|patch)$/.exec(line.trim());
    if (!bump) problems.push(`${name}: ${JSON.stringify(line)} is not '"<package>": major|minor|patch'`);
    else if (!packageNames.has(bump[1])) problems.push(`${name}: unknown package ${bump[1]}`);
  }
}
if (problems.length > 0) {
  console.error(`Invalid changesets:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('Changesets are well formed.');

// Cuts the operations the action calls out of GitHub's official REST description (the `@octokit/openapi`
// package), with every component they reference, into the committed fixture the conformance tests read.
// Run it again after adding an operation to OPERATIONS or upgrading `@octokit/openapi`:
//   node packages/testkit/scripts/cut-github-openapi.mjs [output-file]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The operations the action (and the fake GitHub API of its tests) may use, by operationId. */
const OPERATIONS = [
  'git/get-tree',
  'issues/create',
  'issues/create-comment',
  'issues/list-comments',
  'issues/list-for-repo',
  'issues/update',
  'issues/update-comment',
  'pulls/get',
  'pulls/list-commits',
  'pulls/list-files',
  'pulls/list-reviews',
  'repos/compare-commits-with-basehead',
  'repos/get',
  'repos/get-collaborator-permission-level',
  'repos/get-commit',
  'repos/get-content',
  'repos/list-commits',
  'repos/list-pull-requests-associated-with-commit',
  'users/get-authenticated',
];

const require = createRequire(import.meta.url);
const packageJson = require.resolve('@octokit/openapi/package.json');
const { version } = JSON.parse(readFileSync(packageJson, 'utf8'));
const SOURCE = 'generated/api.github.com.json';
const spec = JSON.parse(readFileSync(join(dirname(packageJson), SOURCE), 'utf8'));
const output =
  process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'github-rest.generated.json');

/** Prose and documentation links only: the validator needs none of it. */
const DROPPED_KEYS = new Set(['description', 'summary', 'externalDocs', 'x-github', 'x-octokit', 'tags']);

/** Data, not description: an example's value keeps its `description` fields. */
const VERBATIM_KEYS = new Set(['value', 'example', 'default', 'enum']);

/** Removes prose keys, except where they name a property (a schema's `properties.description`) or are data. */
function strip(node, underProperties = false) {
  if (Array.isArray(node)) return node.map((item) => strip(item));
  if (node === null || typeof node !== 'object') return node;
  const kept = {};
  for (const [key, value] of Object.entries(node)) {
    if (!underProperties && DROPPED_KEYS.has(key)) continue;
    kept[key] =
      !underProperties && VERBATIM_KEYS.has(key)
        ? value
        : strip(value, key === 'properties' && !underProperties);
  }
  return kept;
}

const paths = {};
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, operation] of Object.entries(item)) {
    if (!OPERATIONS.includes(operation.operationId)) continue;
    paths[path] ??= {};
    paths[path][method] = strip(operation);
  }
}
const missing = OPERATIONS.filter(
  (id) => !Object.values(paths).some((item) => Object.values(item).some((op) => op.operationId === id)),
);
if (missing.length > 0) throw new Error(`Not in @octokit/openapi ${version}: ${missing.join(', ')}`);

// Every component the kept operations reach, transitively.
const components = {};
const pending = [paths];
while (pending.length > 0) {
  const node = pending.pop();
  if (node === null || typeof node !== 'object') continue;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const [, , kind, name] = value.split('/');
      components[kind] ??= {};
      if (components[kind][name] === undefined) {
        components[kind][name] = strip(spec.components[kind][name]);
        pending.push(components[kind][name]);
      }
    } else {
      pending.push(value);
    }
  }
}
for (const kind of Object.keys(components)) {
  components[kind] = Object.fromEntries(
    Object.entries(components[kind]).sort(([a], [b]) => a.localeCompare(b)),
  );
}

const cut = {
  openapi: spec.openapi,
  info: {
    title: spec.info.title,
    version: spec.info.version,
    'x-source': `Cut from ${SOURCE} of the npm package @octokit/openapi ${version} (GitHub's official REST API description) by packages/testkit/scripts/cut-github-openapi.mjs: the operations ${OPERATIONS.join(', ')}, with the components they reference, prose removed.`,
  },
  paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  components,
};
writeFileSync(output, `${JSON.stringify(cut, null, 1)}\n`);
console.log(`Wrote ${output} (${OPERATIONS.length} operations from @octokit/openapi ${version})`);

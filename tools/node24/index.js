// The path of the Node 24 binary installed by the `node` npm package.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
export const node24Path = join(dirname(require.resolve('node/package.json')), 'bin', 'node');

// The entry the runner starts (action.yml's `main`, bundled into dist/index.js). The action itself is
// `run()` in main.ts, which `@github/local-action` calls directly.
import { run } from './main.js';

await run();

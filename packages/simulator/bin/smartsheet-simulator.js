#!/usr/bin/env node
// The `smartsheet-simulator` command. Committed (not built) so that it exists when pnpm links bins at install,
// before any build, and keeps its execute bit however lib/ is restored (a cached build drops it).
import '../lib/bin.js';

// One cold parse in a fresh process: prints its time and the process's peak memory as JSON.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseOffboardingFile } from '@smartsheet-offboard/core';

const path = process.argv[2];
const content = readFileSync(path);
const baselineKiB = process.resourceUsage().maxRSS;
const start = performance.now();
const { targets } = parseOffboardingFile(basename(path), content);
const coldMs = performance.now() - start;
const peakKiB = process.resourceUsage().maxRSS;
process.stdout.write(
  JSON.stringify({
    coldMs,
    targets: targets.length,
    peakRssMiB: peakKiB / 1024,
    growthMiB: (peakKiB - baselineKiB) / 1024,
  }),
);

// Where core's planning CPU goes: the bulk job's planning (5,000 targets by email in an org of
// 20,000) against the simulator in its own process, with no pacing and no added latency, so what is
// left is this process's work. `node bench/plan-cpu.mjs [--targets N] [--org N] [--runs N] [--profile]`
// after building core and the simulator. Not part of `pnpm bench`: a tool for working on core.
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createClient, crossCheckTargets, plan, targetsFromInputs } from '@smartsheet-offboard/core';
import {
  ADMIN_ID,
  DOMAIN,
  FIRST_USER_ID,
  pickTargets,
  startSimulatorProcess,
  USER_ID_STEP,
} from './harness/scenario.mjs';
import { median } from './harness/stats.mjs';
import { fixed, markdownTable } from './harness/table.mjs';

const { values: options } = parseArgs({
  options: {
    targets: { type: 'string', default: '5000' },
    org: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '7' },
    // Sample the measured runs with V8's profiler and say which code the CPU went to.
    profile: { type: 'boolean', default: false },
  },
});
const targetCount = Number(options.targets);
const orgSize = Number(options.org);
const runs = Number(options.runs);
const token = 'plan-cpu-token';

const simulator = await startSimulatorProcess({
  seed: {
    planDomains: [DOMAIN],
    tokens: { [token]: ADMIN_ID },
    users: [{ id: ADMIN_ID, email: `it.admin@${DOMAIN}`, firstName: 'IT', lastName: 'Admin', admin: true }],
    generated: { count: orgSize, domain: DOMAIN, idStart: FIRST_USER_ID, idStep: USER_ID_STEP },
  },
  requestsPerMinute: Number.POSITIVE_INFINITY,
});

const emails = pickTargets(orgSize, targetCount, FIRST_USER_ID).map((target) => target.email);
const api = createClient({ token, baseUrl: simulator.url, requestsPerMinute: 1e9 });
const cpuMs = (since) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/** One run as `offboard()` does it: read the inputs, then plan. */
async function once() {
  const loadStart = performance.now();
  const loadCpu = process.cpuUsage();
  const { targets, findings } = targetsFromInputs({ emails });
  findings.push(...crossCheckTargets(targets));
  const load = { wall: performance.now() - loadStart, cpu: cpuMs(loadCpu) };
  if (findings.length > 0) throw new Error(`unexpected findings: ${findings[0].message}`);

  const planStart = performance.now();
  const planCpu = process.cpuUsage();
  const made = await plan(api, targets, { maxDeactivations: targetCount, planDomains: [DOMAIN] });
  const planned = { wall: performance.now() - planStart, cpu: cpuMs(planCpu) };
  const changes = made.entries.filter((entry) => entry.outcome === 'would-deactivate').length;
  if (changes !== targetCount) throw new Error(`planned ${changes} deactivations, not ${targetCount}`);
  return { load, plan: planned };
}

// Which code a sample belongs to: the innermost frame that names one of these.
const CATEGORIES = [
  // Only lossless-json's parser: its LosslessNumber, which core's parse also builds, counts as core's.
  ['JSON parse (lossless-json)', (frame) => /lossless-json\/.*\/parse\.js$/.test(frame.url)],
  ["JSON parse (core's json.js)", (frame) => frame.url.endsWith('/json.js')],
  ['email normalisation', (frame) => frame.url.endsWith('/emails.js')],
  ['reading users (client)', (frame) => ['readUser', 'readPage'].includes(frame.functionName)],
  ['HTTP (fetch/undici)', (frame) => /undici|internal\/(deps|fetch|streams|webstreams)/.test(frame.url)],
  ['input files and inputs (manifest)', (frame) => frame.url.endsWith('/manifest.js')],
  [
    'resolve, decide, eligibility, digest',
    (frame) => /\/(resolve|decide|eligibility|plan|ids)\.js$/.test(frame.url),
  ],
];

function categorise(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map();
  profile.samples.forEach((leaf, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    let category = 'other';
    const leafName = nodes.get(leaf).callFrame.functionName;
    if (leafName === '(garbage collector)') category = 'garbage collection';
    else if (leafName === '(idle)') category = 'idle (waiting for the simulator)';
    else if (leafName === '(program)') category = 'V8/Node internals (program)';
    else {
      for (let id = leaf; id !== undefined; id = parent.get(id)) {
        const frame = nodes.get(id).callFrame;
        const match = CATEGORIES.find(([, test]) => test(frame));
        if (match) {
          category = match[0];
          break;
        }
      }
    }
    totals.set(category, (totals.get(category) ?? 0) + ms);
  });
  return totals;
}

try {
  const first = await once(); // cold: as the first job of a fresh process
  const measured = [];
  const session = options.profile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  for (let run = 0; run < runs; run++) measured.push(await once());
  const rows = [
    ['first run (cold)', first],
    [`median of the next ${runs}`, { load: pick(measured, 'load'), plan: pick(measured, 'plan') }],
  ].map(([label, r]) => [label, fixed(r.load.cpu, 0), fixed(r.plan.wall, 0), fixed(r.plan.cpu, 0)]);
  const loadAverage = fixed(os.loadavg()[0], 1);
  console.log(
    `\n${targetCount} targets by email, org of ${orgSize}; Node ${process.version}, load average ${loadAverage}\n`,
  );
  console.log(markdownTable(['run', 'inputs CPU ms', 'plan() wall ms', 'plan() CPU ms'], rows));

  if (session) {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const totals = [...categorise(profile)].sort((a, b) => b[1] - a[1]);
    const all = totals.reduce((sum, [, ms]) => sum + ms, 0);
    console.log(`\nSampled over the ${runs} measured runs (inputs + plan), per run:\n`);
    console.log(
      markdownTable(
        ['where', 'ms per run', 'share'],
        totals.map(([name, ms]) => [name, fixed(ms / runs, 0), `${fixed((100 * ms) / all, 0)}%`]),
      ),
    );
  }

  // The same work by hand on one run's answers, to cross-check the profile.
  const pages = await Promise.all(
    Array.from({ length: Math.ceil((orgSize + 1) / 2000) }, (_, i) =>
      fetch(`${simulator.url}/users?page=${i + 1}&pageSize=2000`, {
        headers: { Authorization: `Bearer ${token}` },
      }).then((response) => response.text()),
    ),
  );
  // Internals of core, measured on their own: not part of its public API.
  const { parseLosslessJson } = await import('../packages/core/lib/response-body.js');
  const { emailKey } = await import('../packages/core/lib/emails.js');
  const timed = (fn) => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };
  const listed = pages.flatMap((text) => JSON.parse(text).data.map((user) => user.email));
  const hand = [
    ['parse every page (core)', timed(() => pages.map((text) => parseLosslessJson(text)))],
    ['parse every page (JSON.parse, rounds IDs)', timed(() => pages.map((text) => JSON.parse(text)))],
    [`emailKey on ${listed.length} listed emails`, timed(() => listed.map(emailKey))],
  ];
  console.log(`\nBy hand, warm, one pass over ${pages.length} pages:\n`);
  console.log(
    markdownTable(
      ['what', 'ms'],
      hand.map(([what, ms]) => [what, fixed(ms, 0)]),
    ),
  );
} finally {
  await simulator.stop();
}

function pick(results, phase) {
  return {
    wall: median(results.map((r) => r[phase].wall)),
    cpu: median(results.map((r) => r[phase].cpu)),
  };
}

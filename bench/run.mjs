// `pnpm bench`: this project against the official SDK on the simulator, over real HTTP.
// Prints every table and writes them, with the machine they came from, to results/latest.md,
// and the throughput chart to results/throughput.svg.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { lineChartSvg } from './harness/chart.mjs';
import { benchFiles } from './harness/files.mjs';
import { runJob, SMARTSHEET_REQUESTS_PER_MINUTE, TOOLS } from './harness/scenario.mjs';
import { benchStartup } from './harness/startup.mjs';
import { fixed, markdownTable } from './harness/table.mjs';

const { values: options } = parseArgs({
  options: {
    // Each job's clock is scaled so that its floor lasts this many real seconds.
    'floor-seconds': { type: 'string', default: '20' },
    // Simulated round trip of one request, as against the real API.
    'latency-ms': { type: 'string', default: '100' },
    // A smoke run: small sizes, for checking the harness itself.
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
  },
});
const quick = options.quick;
// A quick run only checks the harness: short floors, whatever the figures.
const floorSeconds = quick ? Math.min(3, Number(options['floor-seconds'])) : Number(options['floor-seconds']);
const latencyMs = Number(options['latency-ms']);
const CHART_FLOOR_SECONDS = floorSeconds / 4;
const chartTargets = (requestsPerMinute) => Math.round(requestsPerMinute * CHART_MINUTES);
const ORG_SIZE = quick ? 2_000 : 20_000;
const SIZES = quick ? [100, 300] : [1_000, 5_000];
// Three minutes' worth of deactivations at each limit: the first minute's burst, which a rolling
// window allows, then the steady rate the limit imposes.
const CHART_MINUTES = quick ? 1.5 : 3;
const CHART_LIMITS = [60, 150, 300, 600, 1200];
const RESULTS = new URL('./results/', import.meta.url);
const wanted = (section) => !options.only || options.only.includes(section);

const TARGETS = { floorMultiple: 1.1, requestsPerDeactivation: 1.05, rateLimitedShare: 0.01 };
const sections = [];

function section(title, intro, table, notes = []) {
  const text = [`## ${title}`, '', intro, '', table, ...(notes.length ? ['', notes.join('\n\n')] : [])].join(
    '\n',
  );
  console.log(`\n${text}`);
  sections.push(text);
}

/** Simulated minutes: the wall time seen on Smartsheet's clock. */
const simulatedMinutes = (job) => job.simulatedMinutes;
const floorMinutes = (job) => job.floorMinutes;
const percent = (part, whole) => `${fixed((100 * part) / whole, 1)}%`;
const check = (ok) => (ok ? 'yes' : '**no**');

function bulkRow(job) {
  return [
    TOOLS[job.tool].label,
    job.targets,
    `${job.timeScale}×`,
    fixed(job.wallMs / 1000, 1),
    fixed(simulatedMinutes(job), 1),
    fixed(floorMinutes(job), 1),
    fixed(simulatedMinutes(job) / floorMinutes(job)),
    job.requests,
    fixed(job.requests / job.deactivations, 3),
    `${job.rateLimited} (${percent(job.rateLimited, job.requests)})`,
    job.missed,
  ];
}

const BULK_HEADER = [
  'tool',
  'targets',
  'scale',
  'wall s',
  'simulated min',
  'floor min',
  '× floor',
  'requests',
  'requests / deactivated',
  '429s',
  'not deactivated',
];

async function bulk() {
  const jobs = [];
  for (const targets of SIZES) {
    for (const tool of ['ours', 'sdk']) {
      console.error(`bulk: ${tool}, ${targets} targets…`);
      jobs.push(await runJob({ tool, orgSize: ORG_SIZE, targets, floorSeconds, latencyMs }));
    }
  }
  const ratios = SIZES.map((targets) => {
    const [ours, sdk] = ['ours', 'sdk'].map((tool) =>
      jobs.find((j) => j.tool === tool && j.targets === targets),
    );
    return [
      targets,
      fixed(sdk.wallMs / ours.wallMs),
      fixed(sdk.requests / ours.requests),
      ours.rateLimited ? fixed(sdk.rateLimited / ours.rateLimited) : `${sdk.rateLimited} vs 0`,
      `${sdk.missed} vs ${ours.missed}`,
    ];
  });
  const verdicts = jobs
    .filter((job) => job.tool === 'ours')
    .map((job) => [
      job.targets,
      check(simulatedMinutes(job) / floorMinutes(job) <= TARGETS.floorMultiple),
      check(job.requests / job.deactivations <= TARGETS.requestsPerDeactivation),
      check(job.rateLimited / job.requests <= TARGETS.rateLimitedShare),
      check(job.missed === 0 && job.twice === 0 && job.outsidePlan === 0),
    ]);
  section(
    '1. Bulk offboarding at the rate limit',
    `Targets given by email in an org of ${ORG_SIZE.toLocaleString('en')} users, ${SMARTSHEET_REQUESTS_PER_MINUTE} requests per minute per token. ` +
      'The floor is the requests Smartsheet strictly needs (one deactivation per target plus reading the org at 2,000 users a page) divided by the rate limit.',
    [
      markdownTable(BULK_HEADER, jobs.map(bulkRow)),
      '',
      'SDK ÷ ours:',
      '',
      markdownTable(['targets', 'wall time', 'requests', '429s', 'not deactivated (SDK vs ours)'], ratios),
      '',
      'Targets for smartsheet-offboard:',
      '',
      markdownTable(
        [
          'targets',
          '≤ 1.10× floor',
          '≤ 1.05 requests / deactivated',
          '≤ 1% 429s',
          'nobody missed, twice or outside the plan',
        ],
        verdicts,
      ),
    ].join('\n'),
    [
      "The SDK can finish under the floor: Smartsheet's rolling window accepts a whole minute's budget at once, and the SDK spends it in a burst at the start. " +
        'Our client spaces its requests evenly instead (a burst followed by a steady rate is what provokes 429s). ' +
        "The SDK's users not deactivated are those whose deactivation kept meeting 429s for longer than its 15-second retry budget: it rejects that call and the script moves on.",
    ],
  );
  return jobs;
}

async function underFaults(baseline) {
  const jobs = [];
  for (const targets of SIZES) {
    for (const tool of ['ours', 'sdk']) {
      const calm = baseline.find((j) => j.tool === tool && j.targets === targets);
      // The storm starts halfway through the floor time, on each tool's own simulator.
      const faults = { serverErrorRate: 0.05, storm: { atFloorFraction: 0.5, seconds: 10 } };
      console.error(`faults: ${tool}, ${targets} targets…`);
      const job = await runJob({ tool, orgSize: ORG_SIZE, targets, floorSeconds, latencyMs, faults });
      jobs.push({ ...job, calm });
    }
  }
  section(
    '2. Under faults',
    'The same jobs with 5% of requests answered by a transient server error (500/4002, 500/4004, 503/4001, seeded) ' +
      'and every request answered 429 for 10 simulated seconds halfway through.',
    markdownTable(
      [
        'tool',
        'targets',
        'scale',
        'simulated min',
        'slowdown vs no faults',
        'requests',
        '5xx',
        '429s',
        'not deactivated',
        'deactivated twice',
        'outside the plan',
      ],
      jobs.map((job) => [
        TOOLS[job.tool].label,
        job.targets,
        `${job.timeScale}×`,
        fixed(simulatedMinutes(job), 1),
        `${fixed(simulatedMinutes(job) / simulatedMinutes(job.calm))}×`,
        job.requests,
        job.serverErrors,
        job.rateLimited,
        job.missed,
        job.twice,
        job.outsidePlan,
      ]),
    ),
  );
  return jobs;
}

async function startup() {
  console.error('start-up…');
  const s = await benchStartup();
  section(
    '3. Start-up',
    `Median of ${s.runs} runs, each a fresh \`node\` process on this machine.`,
    markdownTable(
      ['what', 'ms'],
      [
        ['bundled action (`dist/index.js`): start to its first request', fixed(s.action, 0)],
        ['`node -e "import(\'smartsheet\')"`: start to exit', fixed(s.sdkImport, 0)],
        ['SDK script: start to its first request', fixed(s.sdkFirstRequest, 0)],
        ['`node -e 0` (Node itself)', fixed(s.bareNode, 0)],
      ],
    ),
    [
      `Both under the Node that runs the bench (${process.version}); GitHub runs the action under Node 24.`,
      `Ratio, action's first request ÷ SDK import: ${fixed(s.action / s.sdkImport)}; ÷ SDK's first request: ${fixed(s.action / s.sdkFirstRequest)}.`,
    ],
  );
}

async function files() {
  console.error('files…');
  const rows = await benchFiles();
  section(
    '4. Validating a 10,000-entry file',
    'Warm: median of 7 parses in one process. Cold and memory: one parse in a fresh process (peak RSS of that process, and its growth during the parse).',
    markdownTable(
      ['format', 'size KiB', 'warm ms', 'cold ms', 'peak RSS MiB', 'RSS growth MiB'],
      rows.map((r) => [
        r.format,
        fixed(r.bytes / 1024, 0),
        fixed(r.warmMs, 1),
        fixed(r.coldMs, 1),
        fixed(r.peakRssMiB, 1),
        fixed(r.growthMiB, 1),
      ]),
    ),
  );
}

async function throughput() {
  const jobs = [];
  for (const requestsPerMinute of CHART_LIMITS) {
    for (const tool of ['ours', 'sdk']) {
      console.error(`throughput: ${tool} at ${requestsPerMinute} requests per minute…`);
      jobs.push(
        await runJob({
          tool,
          orgSize: 2 * chartTargets(requestsPerMinute),
          targets: chartTargets(requestsPerMinute),
          floorSeconds: CHART_FLOOR_SECONDS,
          latencyMs,
          requestsPerMinute,
        }),
      );
    }
  }
  const perMinute = (job) => job.deactivations / simulatedMinutes(job);
  const series = (tool) =>
    jobs.filter((job) => job.tool === tool).map((job) => [job.requestsPerMinute, perMinute(job)]);
  const svg = lineChartSvg({
    title: 'Throughput against the rate limit',
    xLabel: 'rate limit (requests per minute per token)',
    yLabel: 'users deactivated per minute',
    series: [
      { name: 'the rate limit', color: '#999999', dashed: true, points: CHART_LIMITS.map((l) => [l, l]) },
      { name: TOOLS.ours.label, color: '#1f6feb', points: series('ours') },
      { name: TOOLS.sdk.label, color: '#d1242f', points: series('sdk') },
    ],
  });
  section(
    '5. Throughput against the rate limit',
    `At each rate limit, ${CHART_MINUTES} minutes' worth of targets (by email, in an org twice that size); users deactivated per simulated minute over the whole job. Chart: \`bench/results/throughput.svg\`.`,
    markdownTable(
      ['rate limit', ...CHART_LIMITS.map(String)],
      ['ours', 'sdk'].map((tool) => [
        TOOLS[tool].label,
        ...jobs
          .filter((job) => job.tool === tool)
          .map((job) => `${fixed(perMinute(job), 0)}${job.missed ? ` (${job.missed} missed)` : ''}`),
      ]),
    ),
    [
      "Where the SDK is above the limit, that is the first minute's burst; its misses are deactivations that met 429s for longer than its retry budget. " +
        `At high limits its one-call-at-a-time loop caps it near one request per round trip (${Math.round(60_000 / latencyMs)} a minute at ${latencyMs} ms).`,
    ],
  );
  return svg;
}

async function largeIds() {
  const jobs = [];
  for (const tool of ['ours', 'sdk']) {
    console.error(`IDs above 2^53: ${tool}…`);
    jobs.push(
      await runJob({
        tool,
        orgSize: 2_000,
        targets: 100,
        floorSeconds: floorSeconds / 4,
        latencyMs,
        largeIds: true,
      }),
    );
  }
  section(
    '6. User IDs above 2^53',
    "The bulk job with 100 targets in an org of 2,000 whose IDs start at 48569348493401201, next to the ID in Smartsheet's own API examples (48569348493401200).",
    markdownTable(
      [
        'tool',
        'targets deactivated',
        'not deactivated',
        'requests for IDs outside the plan',
        'other users deactivated',
      ],
      jobs.map((job) => [
        TOOLS[job.tool].label,
        job.targets - job.missed,
        job.missed,
        job.outsidePlan,
        job.wrongUsers,
      ]),
    ),
    [
      'The SDK reads IDs with `JSON.parse`, which rounds integers above 2^53 to the nearest representable one, and sends the rounded ID back: ' +
        'Smartsheet answers 404, or deactivates whoever holds that ID. Our client keeps IDs as decimal strings end to end.',
    ],
  );
}

const machine = `${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
const header = [
  '# Benchmarks: smartsheet-offboard against the official SDK',
  '',
  `Generated by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${machine}; load average when the run started: ${os.loadavg()[0].toFixed(1)} (other work on the machine slows the CPU-bound parts, which the scaled clock magnifies).`,
  'Everything runs against the simulator over real HTTP on 127.0.0.1, each job on a fresh simulator in a process of its own. ' +
    `Each job runs on a scaled clock (the "scale" column) chosen so that its floor lasts about ${floorSeconds} s of real time: ` +
    "the simulator's minute lasts 60 s ÷ scale, and both tools' clocks (our pacing and backoff, the SDK's backoff and its 15 s retry budget) run at the same scale. " +
    `Every answer is held back ${latencyMs} simulated ms, as a round trip to the real API. Times are simulated: wall time × scale. ` +
    'Scaling speeds up waiting, not computing: a real millisecond of CPU counts as `scale` simulated milliseconds, which weighs against both tools.',
].join('\n');
console.log(header);

const baseline = wanted('bulk') || wanted('faults') ? await bulk() : [];
if (wanted('faults')) await underFaults(baseline);
if (wanted('startup')) await startup();
if (wanted('files')) await files();
const chart = wanted('chart') ? await throughput() : undefined;
if (wanted('large-ids')) await largeIds();

// Only a full run replaces the recorded results: a partial or quick one would leave them inconsistent.
if (!options.only && !quick) {
  await mkdir(RESULTS, { recursive: true });
  await writeFile(new URL('latest.md', RESULTS), `${header}\n\n${sections.join('\n\n')}\n`);
  await writeFile(new URL('throughput.svg', RESULTS), chart);
  console.error('\nWritten to bench/results/latest.md and bench/results/throughput.svg.');
}

/**
 * `npm run bench:scale`: the fleet at 100 and 1,000 synthetic tenants (`scripts/synthetic-fleet.ts`),
 * each in a throw-away workspace copy:
 *   graph          `nx show projects` and `nx graph --file`, no daemon (what CI and every cold command pay)
 *   fleet synth    one process (`fleet synth`): wall, per tenant, peak memory; in synth threads
 *                  (the default, --max-parallel 2) and in one thread (--max-parallel 1)
 *   nx cold        `nx run-many -t synth` with an empty cache: batched, one cache entry per tenant
 *   nx warm no-op  the same again: every tenant from the cache
 * Peak memory is the largest process's maximum RSS (GNU time), e.g. the batch worker.
 * Usage: npm run bench:scale [-- 100 1000]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempWorkspace } from '@hafleet/testing';
import { writeSyntheticFleet } from './synthetic-fleet.js';
import { findWorkspaceRoot } from '@hafleet/entry-point';

const workspaceRoot = findWorkspaceRoot(import.meta.url);
const TIME = '/usr/bin/time';

interface Run {
  seconds: number;
  peakMb: number | undefined;
}

interface Figures {
  tenants: number;
  showProjects: number;
  graphFile: number;
  fleetSynth: Run;
  fleetSynthOneThread: Run;
  nxCold: Run;
  nxWarm: Run;
}

/** Runs a command in `root`, timing it; GNU time (when installed) reports the peak RSS. */
function timed(root: string, command: string[], env: NodeJS.ProcessEnv = {}): Run {
  const withTime = existsSync(TIME) ? [TIME, '-f', 'peak-rss-kb=%M', ...command] : command;
  const started = performance.now();
  const result = spawnSync(withTime[0]!, withTime.slice(1), {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', HAFLEET_WORKSPACE: root, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`${command.join(' ')} exited ${result.status}:\n${`${result.stdout}${result.stderr}`.slice(-4000)}`);
  const kb = /peak-rss-kb=(\d+)/.exec(result.stderr)?.[1];
  return { seconds, peakMb: kb ? Number(kb) / 1024 : undefined };
}

const nx = (...args: string[]) => [process.execPath, 'node_modules/nx/dist/bin/nx.js', ...args];

function measure(count: number): Figures {
  const workspace = tempWorkspace({ tenants: [] });
  try {
    const { root } = workspace;
    writeSyntheticFleet(root, count);
    writeFileSync(join(root, '.gitignore'), 'node_modules\n.nx/\ncdktf.out/\n.hafleet/\n');
    const log = (what: string) => console.error(`[${count} tenants] ${what}`);

    log('nx show projects');
    timed(root, nx('show', 'projects')); // the first run also creates Nx's workspace data
    const showProjects = timed(root, nx('show', 'projects')).seconds;
    log('nx graph --file');
    const graphFile = timed(root, nx('graph', `--file=${join(root, 'graph.json')}`)).seconds;

    const fleetSynthWith = (maxParallel: number) => {
      log(`fleet synth (one process, --max-parallel ${maxParallel})`);
      const run = timed(root, [
        process.execPath,
        '--import',
        'tsx',
        join(workspaceRoot, 'apps/cli/src/main.ts'),
        'synth',
        '--max-parallel',
        String(maxParallel),
      ]);
      rmSync(join(root, 'cdktf.out'), { recursive: true, force: true });
      return run;
    };
    const fleetSynthOneThread = fleetSynthWith(1);
    const fleetSynth = fleetSynthWith(2);

    log('nx run-many -t synth, cold');
    rmSync(join(root, '.nx', 'cache'), { recursive: true, force: true });
    const nxCold = timed(root, nx('run-many', '-t', 'synth', '--projects', 'tag:type:tenant'));
    log('nx run-many -t synth, warm (no-op)');
    const nxWarm = timed(root, nx('run-many', '-t', 'synth', '--projects', 'tag:type:tenant'));
    return { tenants: count, showProjects, graphFile, fleetSynth, fleetSynthOneThread, nxCold, nxWarm };
  } finally {
    workspace.dispose();
  }
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const rows = (sizes.length ? sizes : [100, 1000]).map((count) => {
  const figures = measure(count);
  // Each size as soon as it is measured: the large one takes a while.
  console.error(`[${count} tenants] ${JSON.stringify(figures)}`);
  return figures;
});

const s = (n: number) => n.toFixed(1);
const mb = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(0));
const ms = (run: Run, count: number) => ((run.seconds * 1000) / count).toFixed(0);
console.log('\nscale benchmark (synthetic tenants, offline mode, no Nx daemon)\n');
const header = [
  'tenants',
  'show projects s',
  'graph --file s',
  'synth 1 thread s',
  'ms/tenant',
  'peak MB',
  'fleet synth s',
  'ms/tenant',
  'peak MB',
  'nx cold s',
  'ms/tenant',
  'peak MB',
  'nx cold ÷ fleet',
  'nx warm no-op s',
];
const table = rows.map((r) => [
  String(r.tenants),
  s(r.showProjects),
  s(r.graphFile),
  s(r.fleetSynthOneThread.seconds),
  ms(r.fleetSynthOneThread, r.tenants),
  mb(r.fleetSynthOneThread.peakMb),
  s(r.fleetSynth.seconds),
  ms(r.fleetSynth, r.tenants),
  mb(r.fleetSynth.peakMb),
  s(r.nxCold.seconds),
  ms(r.nxCold, r.tenants),
  mb(r.nxCold.peakMb),
  (r.nxCold.seconds / r.fleetSynth.seconds).toFixed(2),
  s(r.nxWarm.seconds),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
for (const row of [header, ...table]) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
if (rows.length > 1) {
  const [small, large] = [rows[0]!, rows.at(-1)!];
  const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (b / a).toFixed(2) : '-');
  console.log(
    `\npeak memory ${large.tenants} vs ${small.tenants} tenants: ` +
      `fleet synth ×${ratio(small.fleetSynth.peakMb, large.fleetSynth.peakMb)} ` +
      `(1 thread ×${ratio(small.fleetSynthOneThread.peakMb, large.fleetSynthOneThread.peakMb)}), ` +
      `nx batch ×${ratio(small.nxCold.peakMb, large.nxCold.peakMb)}`,
  );
}
mkdirSync(join(workspaceRoot, '.hafleet'), { recursive: true });
writeFileSync(join(workspaceRoot, '.hafleet', 'bench-scale.json'), `${JSON.stringify(rows, null, 2)}\n`);
console.log('\nJSON: .hafleet/bench-scale.json');

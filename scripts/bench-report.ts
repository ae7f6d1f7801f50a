/**
 * `npm run bench:report`: times `fleet report` over synthetic fleets (100 and 1,000 tenants by
 * default). Each fleet is written and synthesised first (not timed: that is `npm run bench`), then
 * the real CLI runs `fleet report` in a child process: wall time from process start, and the
 * report's own phases (stacks read, guardrails + plans + costs, Graphviz diagrams, pages written),
 * how many guardrail reports it reused from synth (written beside each stack) rather than evaluated,
 * peak RSS, and the size of the site and of its fleet page.
 * Usage: npm run bench:report [-- 100 1000]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeTenants } from '@hafleet/tenant-stack';
import { syntheticTenantName, writeSyntheticFleet } from './synthetic-fleet.js';
import { findWorkspaceRoot } from '@hafleet/entry-point';

const workspaceRoot = findWorkspaceRoot(import.meta.url);
const SYNTH_BATCH = 100;

interface Figures {
  tenants: number;
  wallMs: number;
  /** CPU time of the CLI process (user + system): the figure that does not depend on other load on the machine. */
  cpuMs: number;
  phases: Record<string, number>;
  /** Guardrail reports reused from beside the stacks (synth wrote them) and evaluated again. */
  guardrails: { reused: number; evaluated: number };
  peakRssMb: number;
  siteMb: number;
  fleetPageKb: number;
}

function dirSize(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) => sum + (entry.isDirectory() ? dirSize(join(dir, entry.name)) : statSync(join(dir, entry.name)).size),
    0,
  );
}

function bench(count: number): Figures {
  const root = mkdtempSync(join(tmpdir(), `hafleet-bench-report-${count}-`));
  try {
    writeSyntheticFleet(root, count);
    for (let i = 0; i < count; i += SYNTH_BATCH) {
      const only = Array.from({ length: Math.min(SYNTH_BATCH, count - i) }, (_, k) => syntheticTenantName(i + k));
      synthesizeTenants({ workspaceRoot: root, only, mode: 'offline' });
      console.error(`synthesised ${Math.min(i + SYNTH_BATCH, count)}/${count}`);
    }
    copyFileSync(join(workspaceRoot, 'prices.json'), join(root, 'prices.json'));
    const started = performance.now();
    // GNU time reports the child's peak RSS (KB) and CPU seconds on its last stderr line, when it is installed.
    const timed = existsSync('/usr/bin/time');
    const command = [process.execPath, '--import', 'tsx', join(workspaceRoot, 'apps/cli/src/main.ts'), 'report', '--json'];
    const run = spawnSync(timed ? '/usr/bin/time' : command[0]!, timed ? ['-f', '%M %U %S', ...command] : command.slice(1), {
      // tsx resolves from this workspace; HAFLEET_WORKSPACE points the CLI at the synthetic fleet.
      cwd: workspaceRoot,
      env: { ...process.env, HAFLEET_WORKSPACE: root },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const wallMs = performance.now() - started;
    if (run.status !== 0) throw new Error(`fleet report failed (${run.status}):\n${run.stderr}`);
    const phases = /"timings": (\{[^}]*\})/.exec(run.stdout)?.[1];
    const guardrails = /"guardrails": (\{[^}]*\})/.exec(run.stdout)?.[1];
    const [peakKb, user, system] = timed
      ? run.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
      : [Number.NaN, Number.NaN, Number.NaN];
    const site = join(root, '.hafleet', 'report');
    return {
      tenants: count,
      wallMs,
      phases: phases ? (JSON.parse(phases) as Record<string, number>) : {},
      guardrails: guardrails ? (JSON.parse(guardrails) as Figures['guardrails']) : { reused: 0, evaluated: 0 },
      cpuMs: (user! + system!) * 1000,
      peakRssMb: peakKb! / 1024,
      siteMb: dirSize(site) / 1024 / 1024,
      fleetPageKb: statSync(join(site, 'index.html')).size / 1024,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const rows = (sizes.length ? sizes : [100, 1000]).map(bench);
const s = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(2);
console.log('\nfleet report benchmark (real CLI in a child process, stacks synthesised beforehand)\n');
console.log(
  'tenants  wall (s)  CPU (s)  stacks (s)  guardrails+plans+cost (s)  guardrails reused  diagrams (s)  pages (s)  peak RSS (MB)  site (MB)  fleet page (KB)',
);
for (const r of rows) {
  console.log(
    `${String(r.tenants).padStart(7)}  ${s(r.wallMs).padStart(8)}  ${s(r.cpuMs).padStart(7)}  ` +
      `${s(r.phases['stacks']).padStart(10)}  ${s(r.phases['collect']).padStart(25)}  ` +
      `${`${r.guardrails.reused}/${r.tenants}`.padStart(17)}  ${s(r.phases['diagrams']).padStart(12)}  ` +
      `${s(r.phases['write']).padStart(9)}  ${r.peakRssMb.toFixed(0).padStart(13)}  ` +
      `${r.siteMb.toFixed(1).padStart(9)}  ${r.fleetPageKb.toFixed(0).padStart(15)}`,
  );
}
mkdirSync(join(workspaceRoot, '.hafleet'), { recursive: true });
writeFileSync(join(workspaceRoot, '.hafleet', 'bench-report.json'), `${JSON.stringify(rows, null, 2)}\n`);
console.log('\nJSON: .hafleet/bench-report.json');

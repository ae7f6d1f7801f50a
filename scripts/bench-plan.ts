/**
 * `npm run bench:plan`: a fleet plan of every example tenant (offline) against running terraform
 * directly in the same stack folders, and the disk each tenant's working folder uses.
 *
 *   fleet   planTenant per tenant: init, plan -out, show -json, summary (stateful flags), hashes
 *   direct  `terraform init` + `terraform plan -out` spawned by hand, same folders and environment
 *
 * Both run warm (providers already linked) and one tenant at a time, alternating, `--runs N` times
 * (default 3); the medians are compared. Wall time swings with whatever else the machine runs, so
 * CPU time (this process plus every terraform and provider process it waited for, from
 * /proc/self/stat) is measured too: the overhead figure that does not depend on the neighbours.
 * Usage: npm run bench:plan [-- --runs 5]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetContext, planTenant, tenantLocation, tenantRunner, type FleetContext } from '@hafleet/fleet';
import { loadFleet } from '@hafleet/tenant-spec';
import { synthesizeTenants } from '@hafleet/tenant-stack';
import { findWorkspaceRoot } from '@hafleet/entry-point';

const workspaceRoot = findWorkspaceRoot(import.meta.url);
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Math.max(1, Number(values.runs) || 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Cost {
  wallMs: number;
  cpuMs: number;
}

/** CPU ms used so far by this process and its reaped children (Linux; 0 for children elsewhere). */
function cpuMs(): number {
  const self = process.cpuUsage();
  let children = 0;
  try {
    // Fields after the command name: utime stime cutime cstime are 14-17 (1-based) of the full line.
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    children = ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // clock ticks, USER_HZ = 100
  } catch {
    // not Linux: children not counted
  }
  return (self.user + self.system) / 1000 + children;
}

async function measure(work: () => unknown): Promise<Cost> {
  const [wall, cpu] = [performance.now(), cpuMs()];
  await work();
  return { wallMs: performance.now() - wall, cpuMs: cpuMs() - cpu };
}
const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** terraform exactly as a person would run it, with the environment hafleet gives it. */
async function direct(ctx: FleetContext, tenant: string): Promise<Cost> {
  const runner = tenantRunner(ctx, tenant);
  const env = runner.environment();
  const cost = await measure(() => {
    for (const args of [
      ['init', '-input=false', '-no-color'],
      ['plan', '-input=false', '-no-color', '-out=direct.tfplan'],
    ]) {
      const result = spawnSync(process.env['TERRAFORM_BINARY'] ?? 'terraform', args, { cwd: runner.workingDir, env, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`terraform ${args[0]} failed for ${tenant}:\n${result.stderr}`);
    }
  });
  rmSync(join(runner.workingDir, 'direct.tfplan'), { force: true });
  return cost;
}

const fleet = (ctx: FleetContext, tenant: string): Promise<Cost> => measure(() => planTenant(ctx, tenant));

/** Bytes under `dir`, symlinks counted as links (what the folder itself costs on disk). */
function diskUsage(dir: string): { bytes: number; symlinks: string[] } {
  let bytes = 0;
  const symlinks: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) symlinks.push(path.slice(dir.length + 1));
    bytes += stat.isDirectory() ? 0 : stat.blocks * 512;
  }
  return { bytes, symlinks };
}

const root = mkdtempSync(join(tmpdir(), 'hafleet-bench-plan-'));
try {
  for (const entry of ['tenants', 'fleet.json']) cpSync(join(workspaceRoot, entry), join(root, entry), { recursive: true });
  const tenants = loadFleet(root).map((t) => t.spec.name);
  synthesizeTenants({ workspaceRoot: root, mode: 'offline' });
  const ctx = fleetContext(root);
  console.error(`warming up ${tenants.join(', ')} (first init links the provider)`);
  for (const tenant of tenants) await planTenant(ctx, tenant);

  const rows: Array<{ tenant: string; direct: Cost; fleet: Cost }> = [];
  for (const tenant of tenants) {
    const fleetRuns: Cost[] = [];
    const directRuns: Cost[] = [];
    for (let i = 0; i < runs; i++) {
      directRuns.push(await direct(ctx, tenant));
      fleetRuns.push(await fleet(ctx, tenant));
      const [d, f] = [directRuns.at(-1)!, fleetRuns.at(-1)!];
      console.error(
        `${tenant} run ${i + 1}/${runs}: direct ${seconds(d.wallMs)} s (cpu ${seconds(d.cpuMs)}), fleet ${seconds(f.wallMs)} s (cpu ${seconds(f.cpuMs)})`,
      );
    }
    const med = (xs: Cost[]): Cost => ({ wallMs: median(xs.map((x) => x.wallMs)), cpuMs: median(xs.map((x) => x.cpuMs)) });
    rows.push({ tenant, direct: med(directRuns), fleet: med(fleetRuns) });
  }
  const total = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + pick(r), 0);
  const overhead = (fleetMs: number, directMs: number) => `${(((fleetMs - directMs) / directMs) * 100).toFixed(1)} %`;
  const line = (name: string, d: Cost, f: Cost) =>
    `${name.padEnd(22)} ${seconds(d.wallMs).padStart(9)} ${seconds(f.wallMs).padStart(9)} ` +
    `${overhead(f.wallMs, d.wallMs).padStart(9)}   ${seconds(d.cpuMs).padStart(9)} ` +
    `${seconds(f.cpuMs).padStart(9)} ${overhead(f.cpuMs, d.cpuMs).padStart(9)}`;

  console.log(
    `\nfleet plan vs terraform directly (offline, warm, median of ${runs}, one tenant at a time; load ${loadavg()[0]!.toFixed(1)})\n`,
  );
  console.log(`${''.padEnd(22)} ${'wall: direct'.padStart(9)}     fleet  overhead    cpu: direct     fleet  overhead`);
  for (const r of rows) console.log(line(r.tenant, r.direct, r.fleet));
  const sum = (key: 'direct' | 'fleet'): Cost => ({ wallMs: total((r) => r[key].wallMs), cpuMs: total((r) => r[key].cpuMs) });
  console.log(line('all', sum('direct'), sum('fleet')));
  console.log('(target: overhead ≤ 15 %)');

  console.log('\ndisk per tenant working folder (.hafleet/tenants/<tenant>, symlinks not followed)\n');
  const disk = tenants.map((tenant) => ({ tenant, ...diskUsage(tenantLocation(ctx, tenant).workDir) }));
  for (const d of disk)
    console.log(
      `${d.tenant.padEnd(22)} ${(d.bytes / 1024).toFixed(0).padStart(6)} KiB   provider linked: ${d.symlinks.join(', ') || 'NO (copied)'}`,
    );
  console.log('(target < 1 MB each, provider not copied)');

  mkdirSync(join(workspaceRoot, '.hafleet'), { recursive: true });
  writeFileSync(join(workspaceRoot, '.hafleet', 'bench-plan.json'), `${JSON.stringify({ runs, rows, disk }, null, 2)}\n`);
  console.log('\nJSON: .hafleet/bench-plan.json');
} finally {
  rmSync(root, { recursive: true, force: true });
}

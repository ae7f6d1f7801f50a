/**
 * `npm run bench`: synthesises N synthetic tenants (10, 50, 100 by default) in one process each and
 * prints wall time, time per tenant and peak RSS. Each size runs in a fresh child process so its
 * peak memory is its own. Usage: npm run bench [-- 10 50 100]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizeTenants } from '@hafleet/tenant-stack';
import { writeSyntheticFleet } from './synthetic-fleet.js';
import { findWorkspaceRoot } from '@hafleet/entry-point';

const workspaceRoot = findWorkspaceRoot(import.meta.url);

interface Figures {
  tenants: number;
  /** Process start to ready: node, tsx and the cdktf/provider modules. */
  startupMs: number;
  wallMs: number;
  perTenantMs: number;
  peakRssMb: number;
  resources: number;
}

function runOne(count: number): Figures {
  const startupMs = process.uptime() * 1000;
  const root = mkdtempSync(join(tmpdir(), `hafleet-bench-${count}-`));
  try {
    writeSyntheticFleet(root, count);
    const started = performance.now();
    const stacks = synthesizeTenants({ workspaceRoot: root, mode: 'offline' });
    const wallMs = performance.now() - started;
    let resources = 0;
    for (const stack of stacks) {
      const json = JSON.parse(readFileSync(stack.file, 'utf8')) as { resource?: Record<string, object> };
      resources += Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    }
    return { tenants: count, startupMs, wallMs, perTenantMs: wallMs / count, peakRssMb: process.resourceUsage().maxRSS / 1024, resources };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const [flag, value] = process.argv.slice(2);
if (flag === '--child') {
  process.stdout.write(JSON.stringify(runOne(Number(value))));
} else {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const rows = (sizes.length ? sizes : [10, 50, 100]).map((count) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(count)], {
      encoding: 'utf8',
    });
    const figures = JSON.parse(out) as Figures;
    console.error(`synthesised ${count} tenants`);
    return figures;
  });
  console.log('\nsynth benchmark (one process per size, offline mode)\n');
  console.log('tenants  resources  startup (s)  synth wall (s)  per tenant (ms)  peak RSS (MB)');
  for (const r of rows) {
    console.log(
      `${String(r.tenants).padStart(7)}  ${String(r.resources).padStart(9)}  ` +
        `${(r.startupMs / 1000).toFixed(2).padStart(11)}  ${(r.wallMs / 1000).toFixed(2).padStart(14)}  ` +
        `${r.perTenantMs.toFixed(1).padStart(15)}  ${r.peakRssMb.toFixed(0).padStart(13)}`,
    );
  }
  mkdirSync(join(workspaceRoot, '.hafleet'), { recursive: true });
  writeFileSync(join(workspaceRoot, '.hafleet', 'bench-synth.json'), `${JSON.stringify(rows, null, 2)}\n`);
  console.log('\nJSON: .hafleet/bench-synth.json');
}

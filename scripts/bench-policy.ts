/**
 * `npm run bench:policy`: what the guardrails add to synthesis. Synthesises N full synthetic
 * tenants (default 100) in a fresh process — synth runs the pack before it writes anything — and
 * compares the pack's share (reading each stack's JSON back plus evaluating every rule) with the
 * rest of synth. Also prints the costliest rules. Target: the pack adds under 20 % to synth.
 * Usage: npm run bench:policy [-- 100]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES, SynthesizedStack, evaluatePolicy, policyContext } from '@hafleet/guardrails';
import { loadFleet, loadFleetConfig, tenantSpecFiles } from '@hafleet/tenant-spec';
import { synthesizeTenants } from '@hafleet/tenant-stack';
import { BENCH_WORKSPACE, writeSyntheticFleet } from './synthetic-fleet.js';

interface Figures {
  tenants: number;
  resources: number;
  checks: number;
  /** synthesizeTenants, guardrails included. */
  synthWallMs: number;
  /** Rule evaluation inside that synth (sum of the reports' durations; first, cold run). */
  evaluateInSynthMs: number;
  /** Reading the stacks' JSON back for the pack (measured again after synth). */
  readMs: number;
  /** A second evaluation of every stack, warm. */
  evaluateWarmMs: number;
  /** Pack share: (read + evaluate in synth) / (synth without them). */
  overheadPercent: number;
  /** The costliest rules over all stacks (warm). */
  slowestRules: Array<{ rule: string; ms: number }>;
}

function measure(count: number): Figures {
  const root = mkdtempSync(join(tmpdir(), `hafleet-bench-policy-${count}-`));
  try {
    writeSyntheticFleet(root, count);
    const started = performance.now();
    const stacks = synthesizeTenants({ workspaceRoot: root, mode: 'offline' });
    const synthWallMs = performance.now() - started;
    const evaluateInSynthMs = stacks.reduce((ms, s) => ms + s.policy.durationMs, 0);

    const readStarted = performance.now();
    const parsed = stacks.map((s) => SynthesizedStack.read(s.file));
    const readMs = performance.now() - readStarted;

    const fleet = loadFleetConfig(root);
    const fleetTenants = tenantSpecFiles(root).map((file) => basename(dirname(file)));
    const contexts = loadFleet(root).map(({ spec }) => policyContext({ spec, fleet, fleetTenants }));
    const warmStarted = performance.now();
    const reports = parsed.map((stack, i) => evaluatePolicy(stack, contexts[i]!));
    const evaluateWarmMs = performance.now() - warmStarted;

    const perRule = RULES.map((rule) => {
      const t = performance.now();
      parsed.forEach((stack, i) => evaluatePolicy(stack, contexts[i]!, [rule]));
      return { rule: rule.id, ms: performance.now() - t };
    }).sort((a, b) => b.ms - a.ms);

    const pack = readMs + evaluateInSynthMs;
    return {
      tenants: count,
      resources: parsed.reduce((n, s) => n + s.resources.length, 0),
      checks: reports.reduce((n, r) => n + r.outcomes.length, 0),
      synthWallMs,
      evaluateInSynthMs,
      readMs,
      evaluateWarmMs,
      overheadPercent: (100 * pack) / (synthWallMs - pack),
      slowestRules: perRule.slice(0, 8),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const [flag, value] = process.argv.slice(2);
if (flag === '--child') {
  process.stdout.write(JSON.stringify(measure(Number(value))));
} else {
  const count = Number(process.argv[2] ?? 100);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`tenant count "${process.argv[2]}" must be a whole number ≥ 1 — fix: npm run bench:policy -- 100`);
  console.error(`synthesising ${count} synthetic tenants and running the guardrails…`);
  // A fresh process, so module loading and earlier runs do not colour the figures.
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(count)], {
    encoding: 'utf8',
  });
  const f = JSON.parse(out) as Figures;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`\nguardrails benchmark: ${f.tenants} tenants, ${f.resources} resources, ${f.checks} checks, ${RULES.length} rules\n`);
  console.log(`synth, guardrails included     ${s(f.synthWallMs).padStart(9)}  (${(f.synthWallMs / f.tenants).toFixed(1)} ms per tenant)`);
  console.log(`  reading stacks back          ${s(f.readMs).padStart(9)}`);
  console.log(
    `  evaluating rules (in synth)  ${s(f.evaluateInSynthMs).padStart(9)}  (${(f.evaluateInSynthMs / f.tenants).toFixed(1)} ms per tenant)`,
  );
  console.log(`  evaluating rules (warm)      ${s(f.evaluateWarmMs).padStart(9)}`);
  console.log(`guardrails overhead on synth   ${`${f.overheadPercent.toFixed(1)} %`.padStart(9)}  (target < 20 %)`);
  console.log(`\ncostliest rules over all ${f.tenants} stacks (warm):`);
  for (const r of f.slowestRules) console.log(`  ${r.rule.padEnd(13)} ${r.ms.toFixed(1).padStart(7)} ms`);
  mkdirSync(join(BENCH_WORKSPACE, '.hafleet'), { recursive: true });
  writeFileSync(join(BENCH_WORKSPACE, '.hafleet', 'bench-policy.json'), `${JSON.stringify(f, null, 2)}\n`);
  console.log('\nJSON: .hafleet/bench-policy.json');
}

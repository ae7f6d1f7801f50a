/**
 * `npm run bench:onboard`: how long from "a client signed" to "its stack is planned". In a throw-away
 * copy of the workspace (examples included, so the network pool has tenants to avoid), each run
 * onboards a new tenant with flags through the CLI, then runs `nx run <tenant>:plan` (synth,
 * terraform validate, offline plan with the real provider); it also times the same onboarding through
 * `nx g` and in-process. Prints the figures and writes .hafleet/bench-onboard.json.
 * Usage: npm run bench:onboard [-- --runs 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { answersFromFlags, prepareOnboarding } from '@hafleet/onboarding';
import { WORKSPACE_ROOT, tempWorkspace, type TempWorkspace } from '@hafleet/testing';

/** The target the issue sets for onboarding one tenant to planned. */
const TARGET_SECONDS = 15;

const answers = (name: string): Record<string, string> => ({
  'display-name': `Bench College ${name}`,
  region: 'ap-southeast-2',
  'concurrent-users': '800',
  population: '40000',
  'database-engine': 'aurora-mysql',
  domain: `learn.${name}.example.edu`,
  'certificate-arn': 'arn:aws:acm:ap-southeast-2:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
  'alert-emails': 'ops@example.edu',
});
const flags = (name: string) => Object.entries(answers(name)).flatMap(([flag, value]) => [`--${flag}`, value]);

/**
 * CPU seconds used by this process's finished children and their descendants (Linux /proc; 0
 * elsewhere). Unlike wall time it barely moves when other work shares the machine.
 */
function childCpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // cutime and cstime: fields 16 and 17 of stat, 14 and 15 after "pid (comm) ".
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of the children timed so far, per label. */
const cpu: Record<string, number> = {};

/** Runs a command in the workspace copy, as an operator would (no daemon, no terminal), and times it. */
function timed(workspace: TempWorkspace, args: string[], label?: string): number {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    HAFLEET_WORKSPACE: workspace.root,
  };
  for (const key of Object.keys(env)) if (key.startsWith('NX_TASK') || key === 'NX_WORKSPACE_ROOT_PATH') delete env[key];
  const [started, cpuBefore] = [performance.now(), childCpuSeconds()];
  const result = spawnSync(process.execPath, args, { cwd: workspace.root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (performance.now() - started) / 1000;
  if (label) cpu[label] = childCpuSeconds() - cpuBefore;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return seconds;
}

interface Run {
  run: number;
  tenant: string;
  /** `fleet onboard <tenant> --…` (node + tsx + libs start-up included). */
  onboardSeconds: number;
  /** `nx run <tenant>:plan`: synth, terraform validate, plan, summary. */
  planSeconds: number;
  totalSeconds: number;
  /** CPU seconds (all processes, terraform included) of onboard + nx plan. */
  cpuSeconds: number;
  /** The shortest path, for comparison: `fleet onboard`, `fleet synth`, `fleet plan` (no terraform validate, no Nx). */
  directSeconds: number;
}

const runsFlag = process.argv.indexOf('--runs');
const runCount = runsFlag > 0 ? Math.max(1, Number(process.argv[runsFlag + 1]) || 1) : 1;
const workspace = tempWorkspace();
try {
  const cli = ['--import', 'tsx', 'apps/cli/src/main.ts'];
  const nx = ['node_modules/nx/dist/bin/nx.js'];
  const runs: Run[] = [];
  for (let run = 1; run <= runCount; run++) {
    const tenant = `bench-college-${run}`;
    console.error(`run ${run}: onboarding ${tenant}, then planning it`);
    const onboardSeconds = timed(workspace, [...cli, 'onboard', tenant, ...flags(tenant)], 'onboard');
    const planSeconds = timed(workspace, [...nx, 'run', `${tenant}:plan`], 'plan');
    const cpuSeconds = cpu['onboard']! + cpu['plan']!;
    const direct = `${tenant}-direct`;
    const directSeconds =
      timed(workspace, [...cli, 'onboard', direct, ...flags(direct)]) +
      timed(workspace, [...cli, 'synth', direct]) +
      timed(workspace, [...cli, 'plan', direct]);
    runs.push({ run, tenant, onboardSeconds, planSeconds, totalSeconds: onboardSeconds + planSeconds, cpuSeconds, directSeconds });
  }
  console.error('onboarding through nx g, and in-process');
  const generatorSeconds = timed(workspace, [...nx, 'g', '@hafleet/nx-plugin:tenant', 'bench-generated', ...flags('bench-generated')]);
  const started = performance.now();
  prepareOnboarding(workspace.root, answersFromFlags({ name: 'bench-in-process', ...answers('bench-in-process') }));
  const inProcessMs = performance.now() - started;

  const s = (n: number) => n.toFixed(1).padStart(9);
  console.log('\nonboard one tenant to planned (offline, real terraform and AWS provider)\n');
  console.log('run  tenant            onboard (s)  nx plan (s)  total (s)  target        CPU (s)  onboard+synth+plan, no Nx (s)');
  for (const r of runs) {
    const verdict = `${r.totalSeconds < TARGET_SECONDS ? 'under' : 'OVER '} ${TARGET_SECONDS} s`;
    console.log(
      `${String(r.run).padStart(3)}  ${r.tenant.padEnd(16)}  ${s(r.onboardSeconds)}  ${s(r.planSeconds)}    ` +
        `${s(r.totalSeconds)}  ${verdict.padEnd(12)}  ${s(r.cpuSeconds).slice(2)}  ${s(r.directSeconds)}`,
    );
  }
  console.log(
    `\nload average while measuring: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${cpus().length} CPUs (other work on the machine slows every figure)`,
  );
  console.log(`\nnx g @hafleet/nx-plugin:tenant (with Nx start-up): ${generatorSeconds.toFixed(1)} s`);
  console.log(`onboarding in-process (validate with the fleet, size, allocate; no write): ${inProcessMs.toFixed(0)} ms`);
  mkdirSync(join(WORKSPACE_ROOT, '.hafleet'), { recursive: true });
  writeFileSync(
    join(WORKSPACE_ROOT, '.hafleet', 'bench-onboard.json'),
    `${JSON.stringify({ targetSeconds: TARGET_SECONDS, runs, generatorSeconds, inProcessMs }, null, 2)}\n`,
  );
  console.log('\nJSON: .hafleet/bench-onboard.json');
} finally {
  workspace.dispose();
}

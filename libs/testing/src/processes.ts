import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { WORKSPACE_ROOT, type TempWorkspace } from './workspace.js';

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout then stderr, for matching and failure messages. */
  readonly output: string;
}

const result = (r: ReturnType<typeof spawnSync>): ProcessResult => {
  const [stdout, stderr] = [String(r.stdout ?? ''), String(r.stderr ?? '')];
  return { code: r.status, stdout, stderr, output: `${stdout}${stderr}` };
};

/** Real Nx in a workspace copy, without the daemon or the variables of an Nx task this test may run in. */
export function runNx(workspace: TempWorkspace, ...args: string[]): ProcessResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: undefined };
  for (const key of Object.keys(env)) if (key.startsWith('NX_TASK') || key === 'NX_WORKSPACE_ROOT_PATH') delete env[key];
  return result(
    spawnSync(process.execPath, ['node_modules/nx/dist/bin/nx.js', ...args], {
      cwd: workspace.root,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** The real `fleet` CLI in a child process (no terminal: stdin closed), against a workspace copy. */
export function runFleet(workspace: TempWorkspace, ...args: string[]): ProcessResult {
  return result(
    spawnSync(process.execPath, ['--import', 'tsx', join(WORKSPACE_ROOT, 'apps/cli/src/main.ts'), ...args], {
      cwd: workspace.root,
      env: { ...process.env, HAFLEET_WORKSPACE: workspace.root },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

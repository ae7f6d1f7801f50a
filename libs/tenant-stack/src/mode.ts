/**
 * How a stack reaches AWS. `offline` (default): dummy credentials, skipped AWS checks and local
 * state, so a real `terraform plan` runs with no account and no network. `remote`: the fleet's S3
 * state backend and the credentials of the environment.
 */
export type StackMode = 'offline' | 'remote';

export const STACK_MODES: readonly StackMode[] = ['offline', 'remote'];

export function stackModeFromEnv(env: NodeJS.ProcessEnv = process.env): StackMode {
  const value = env['HAFLEET_MODE'] ?? 'offline';
  if ((STACK_MODES as readonly string[]).includes(value)) return value as StackMode;
  throw new Error(`HAFLEET_MODE="${value}" is not a mode — fix: set it to "offline" or "remote" (or unset it for offline)`);
}

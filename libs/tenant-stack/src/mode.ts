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

/**
 * `HAFLEET_APPLY_IMMEDIATELY=true`: the stacks synthesised by this run apply database and cache
 * changes at once instead of in their maintenance window. Set by `fleet rollout --apply-immediately`
 * for its own synth only; unset (the default) means wait for the window.
 */
export const APPLY_IMMEDIATELY_ENV = 'HAFLEET_APPLY_IMMEDIATELY';

export function applyImmediatelyFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[APPLY_IMMEDIATELY_ENV];
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(
    `${APPLY_IMMEDIATELY_ENV}="${value}" is not true or false — fix: unset it ` +
      `(database and cache changes wait for their maintenance window), ` +
      `or run \`fleet rollout --apply-immediately\` to apply them at once for that rollout`,
  );
}

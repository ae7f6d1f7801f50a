/**
 * The exit codes of every hafleet process (the `fleet` CLI, the cdktf app, Nx targets), one table
 * for all; the README's table is checked against it. When several apply, the lowest non-zero code
 * wins (a failure hides neither: both are printed).
 */
export const EXIT = {
  /** Done; for drift: in sync. */
  ok: 0,
  /** A tenant, terraform or a health gate failed. */
  failed: 1,
  /** Bad input: a tenant spec, fleet.json, an argument, a journal; nothing was changed. */
  usage: 2,
  /** Apply (or a rollout's guard) refused a plan that would lose a stateful resource. */
  refused: 3,
  /** `fleet drift` found a tenant that no longer matches its state. */
  drift: 4,
  /** Stopped by SIGINT (Ctrl-C). */
  interrupted: 130,
  /** Stopped by SIGTERM (a CI runner or terminal closing). */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The conventional exit code of a process stopped by `signal`. */
export const signalExitCode = (signal: NodeJS.Signals): ExitCode => (signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);

/**
 * Input a person must fix (a spec, fleet.json, an argument, a journal): its message names the
 * thing, the field and the fix, and the process exits 2. Each library's input error extends it,
 * so the runner needs to know none of them.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The exit code of an error: bad input is 2, anything else 1. */
export const exitCodeOf = (error: unknown): ExitCode => (error instanceof InputError ? EXIT.usage : EXIT.failed);

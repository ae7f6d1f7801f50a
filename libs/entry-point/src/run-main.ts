import { exitCodeOf, type ExitCode } from './exit-codes.js';

/** What people see of an error: its message alone (no stack trace: every hafleet error says what to fix). */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The one mapping from a run to its exit code: the code `main` returns, or for an error its
 * message on stderr and `exitCodeOf(error)`. In process (no side effect on the process), so the
 * CLI's tests call it directly.
 */
export async function exitCodeFrom(main: () => Promise<ExitCode> | ExitCode): Promise<ExitCode> {
  try {
    return await main();
  } catch (error) {
    console.error(errorMessage(error));
    return exitCodeOf(error);
  }
}

/**
 * Every hafleet entry point's last line: runs `main` and sets the process's exit code (never
 * `process.exit`, so output still being written is not cut off).
 */
export async function runMain(main: () => Promise<ExitCode> | ExitCode): Promise<void> {
  process.exitCode = await exitCodeFrom(main);
}

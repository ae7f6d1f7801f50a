import { signalExitCode } from '@hafleet/entry-point';

/**
 * SIGINT / SIGTERM during a rollout: the first one stops it gracefully (no new tenant or step
 * starts; running steps end; the journal records where each tenant is and the process exits so
 * that `--resume` continues). Terraform in the same process group gets the same signal and stops
 * gracefully on its own. A second signal exits at once: the journal already says which tenants
 * were mid-step, and resume re-plans them.
 */
export interface SignalStop {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  received(): NodeJS.Signals | undefined;
  /** Removes the handlers. */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function stopOnSignals(onSignal: (signal: NodeJS.Signals, count: number) => void = () => {}): SignalStop {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    received ??= signal;
    onSignal(signal, count);
    if (count === 1) controller.abort();
    else process.exit(signalExitCode(signal));
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      for (const signal of SIGNALS) process.off(signal, handler);
    },
  };
}

import { MINUTE, type AlarmSpec } from '../alarm-spec.js';

/** The heartbeat the worker puts after every successful cron run (`WORKER_HEARTBEAT_METRIC`). */
export interface WatchedHeartbeat {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  /** How often the cron runs, in minutes (the application profile's `cron.everyMinutes`). */
  readonly everyMinutes: number;
}

/** Silence this long means the cron stopped; long enough for a worker replacement to boot. */
const HEARTBEAT_MIN_SILENCE_MINUTES = 15;

/**
 * Missing data is breaching: a stopped cron (or a worker that is gone) puts nothing at all, and
 * that silence is the whole point of the alarm.
 */
export function workerAlarms(heartbeat: WatchedHeartbeat): AlarmSpec[] {
  const periodMinutes = Math.max(5, heartbeat.everyMinutes);
  const periods = Math.max(3, Math.ceil(HEARTBEAT_MIN_SILENCE_MINUTES / periodMinutes));
  return [
    {
      id: 'worker-heartbeat',
      title: 'Worker: cron heartbeats',
      description:
        `No cron heartbeat from the worker for ${periods * periodMinutes} minutes ` +
        `(the cron runs every ${heartbeat.everyMinutes} min): scheduled jobs have stopped.`,
      period: periodMinutes * MINUTE,
      periods,
      missingData: 'breaching',
      condition: {
        kind: 'threshold',
        metric: { namespace: heartbeat.namespace, metricName: heartbeat.metricName, dimensions: heartbeat.dimensions, stat: 'Sum' },
        above: false,
        threshold: 1,
      },
    },
  ];
}

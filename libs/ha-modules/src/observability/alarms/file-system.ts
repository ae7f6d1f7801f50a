import { MINUTE, type AlarmSpec } from '../alarm-spec.js';

/** The tenant's EFS file system (General Purpose performance mode). */
export interface WatchedFileSystem {
  readonly id: string;
}

/**
 * PercentIOLimit: how close the file system is to the I/O limit of the General Purpose
 * performance mode, which holds whatever the throughput mode. BurstCreditBalance is not watched:
 * with Elastic throughput there are no burst credits to run out of.
 */
export function fileSystemAlarms(fileSystem: WatchedFileSystem): AlarmSpec[] {
  return [
    {
      id: 'efs-io-limit',
      title: 'File system: I/O limit used (%)',
      description: `File system ${fileSystem.id} above 90 % of its I/O limit for 5 minutes.`,
      period: MINUTE,
      periods: 5,
      missingData: 'notBreaching',
      condition: {
        kind: 'threshold',
        metric: { namespace: 'AWS/EFS', metricName: 'PercentIOLimit', dimensions: { FileSystemId: fileSystem.id }, stat: 'Maximum' },
        above: true,
        threshold: 90,
      },
    },
  ];
}

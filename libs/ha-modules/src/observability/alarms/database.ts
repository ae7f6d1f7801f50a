import { GIB, MINUTE, type AlarmSpec, type Metric } from '../alarm-spec.js';

/** The tenant database (e.g. `Database.kind`, `.identifier`, `.readerIdentifiers`). */
export interface WatchedDatabase {
  /** `instance`: RDS (Multi-AZ) DB instance. `cluster`: Aurora cluster. */
  readonly kind: 'instance' | 'cluster';
  /** DB instance identifier or DB cluster identifier. */
  readonly identifier: string;
  /** Aurora reader instance identifiers: each gets CPU, connection, storage and replica-lag alarms. @default none */
  readonly readerIdentifiers?: string[];
  /** An Aurora cluster's instances (writer and readers): their own RDS events are subscribed to. @default none */
  readonly instanceIdentifiers?: string[];
  /** Allocated storage of an RDS instance: the free-storage alarm fires under 10 % of it. Required for `instance`. */
  readonly allocatedStorageGiB?: number;
}

/** Aurora's local (temporary) storage is sized by instance class; this much free is the floor. */
const AURORA_MIN_FREE_LOCAL_STORAGE_GIB = 2;

export function databaseAlarms(db: WatchedDatabase): AlarmSpec[] {
  const rds = (metricName: string, dimensions: Record<string, string>, stat: string): Metric => ({
    namespace: 'AWS/RDS',
    metricName,
    dimensions,
    stat,
  });
  // The Aurora writer is watched through the cluster's WRITER role, which follows it across failovers.
  const readers = db.kind === 'cluster' ? (db.readerIdentifiers ?? []) : [];
  const nodes =
    db.kind === 'instance'
      ? [{ id: 'db', what: `database ${db.identifier}`, dimensions: { DBInstanceIdentifier: db.identifier } }]
      : [
          {
            id: 'db-writer',
            what: `writer of cluster ${db.identifier}`,
            dimensions: { DBClusterIdentifier: db.identifier, Role: 'WRITER' },
          },
          ...readers.map((reader, index) => ({
            id: `db-reader-${index + 1}`,
            what: `reader ${reader}`,
            dimensions: { DBInstanceIdentifier: reader },
          })),
        ];

  const specs = nodes.flatMap(({ id, what, dimensions }): AlarmSpec[] => [
    {
      id: `${id}-cpu`,
      title: `Database ${id}: CPU (%)`,
      description: `CPU of the ${what} above 80 % for 15 minutes.`,
      period: 5 * MINUTE,
      periods: 3,
      missingData: 'missing',
      condition: { kind: 'threshold', metric: rds('CPUUtilization', dimensions, 'Average'), above: true, threshold: 80 },
    },
    {
      id: `${id}-connections`,
      title: `Database ${id}: connections`,
      // max_connections depends on the instance class and parameters: compare with the usual level instead.
      description: `Connections to the ${what} above the band anomaly detection expects for 15 minutes.`,
      period: 5 * MINUTE,
      periods: 3,
      missingData: 'missing',
      condition: { kind: 'anomaly', metric: rds('DatabaseConnections', dimensions, 'Average'), bandWidth: 3 },
    },
    db.kind === 'instance'
      ? {
          id: `${id}-free-storage`,
          title: `Database ${id}: free storage (bytes)`,
          description: `Free storage of the ${what} below 10 % of its ${db.allocatedStorageGiB} GiB for 10 minutes.`,
          period: 5 * MINUTE,
          periods: 2,
          missingData: 'missing',
          condition: {
            kind: 'threshold',
            metric: rds('FreeStorageSpace', dimensions, 'Minimum'),
            above: false,
            threshold: Math.round((db.allocatedStorageGiB ?? 0) * GIB * 0.1),
          },
        }
      : {
          id: `${id}-free-local-storage`,
          title: `Database ${id}: free local storage (bytes)`,
          description: `Free local (temporary) storage of the ${what} below ${AURORA_MIN_FREE_LOCAL_STORAGE_GIB} GiB for 10 minutes.`,
          period: 5 * MINUTE,
          periods: 2,
          missingData: 'missing',
          condition: {
            kind: 'threshold',
            metric: rds('FreeLocalStorage', dimensions, 'Minimum'),
            above: false,
            threshold: AURORA_MIN_FREE_LOCAL_STORAGE_GIB * GIB,
          },
        },
  ]);

  const lag = readers.map((reader, index): AlarmSpec => ({
    id: `db-reader-${index + 1}-replica-lag`,
    title: `Database db-reader-${index + 1}: replica lag (ms)`,
    description: `Aurora replica lag of reader ${reader} above 1 s for 5 minutes.`,
    period: MINUTE,
    periods: 5,
    missingData: 'missing',
    condition: {
      kind: 'threshold',
      metric: rds('AuroraReplicaLag', { DBInstanceIdentifier: reader }, 'Average'),
      above: true,
      threshold: 1000,
    },
  }));
  return [...specs, ...lag];
}

/**
 * Maintenance, backup and snapshot windows in the client's night. AWS stores RDS and ElastiCache
 * windows in UTC, so they are converted from the tenant's time zone at its *standard* offset: in
 * summer time the same UTC window falls an hour later on the clock, still between 01:00 and 06:00.
 * The reference dates are fixed so synthesis never depends on the day it runs.
 */
export interface MaintenanceWindows {
  readonly timeZone: string;
  readonly database: {
    /** Daily automated backup, "hh:mm-hh:mm" UTC (RDS `backup_window`). */
    readonly backupWindow: string;
    /** Weekly, "ddd:hh:mm-ddd:hh:mm" UTC (RDS `maintenance_window`). */
    readonly maintenanceWindow: string;
  };
  readonly cache: {
    /** Daily snapshot, "hh:mm-hh:mm" UTC (≥ 60 minutes). */
    readonly snapshotWindow: string;
    /** Weekly, "ddd:hh:mm-ddd:hh:mm" UTC (≥ 60 minutes). */
    readonly maintenanceWindow: string;
  };
  readonly backup: {
    /** AWS Backup schedule; AWS Backup evaluates it in `timeZone` itself (DST-correct). */
    readonly scheduleExpression: string;
    readonly timeZone: string;
  };
}

/** Local (standard-time) slots, all in the small hours; weekly ones on the night to Sunday. */
export const LOCAL_WINDOWS = {
  databaseBackup: { start: '02:00', minutes: 30 },
  databaseMaintenance: { day: 'sun', start: '03:00', minutes: 30 },
  cacheSnapshot: { start: '02:30', minutes: 60 },
  cacheMaintenance: { day: 'sun', start: '04:00', minutes: 60 },
  awsBackupHour: 1,
} as const;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Day = (typeof DAYS)[number];
const WEEK = 7 * 24 * 60;
const DAY = 24 * 60;
/** Mid-January and mid-July: one of them is winter (standard time) in either hemisphere. */
const REFERENCE_DATES = [Date.UTC(2025, 0, 15, 12), Date.UTC(2025, 6, 15, 12)];

export function maintenanceWindows(timeZone: string): MaintenanceWindows {
  const offset = standardOffsetMinutes(timeZone);
  const daily = (slot: { start: string; minutes: number }) => dailyRange(minutesOf(slot.start) - offset, slot.minutes);
  const weekly = (slot: { day: Day; start: string; minutes: number }) =>
    weeklyRange(DAYS.indexOf(slot.day) * DAY + minutesOf(slot.start) - offset, slot.minutes);
  return {
    timeZone,
    database: { backupWindow: daily(LOCAL_WINDOWS.databaseBackup), maintenanceWindow: weekly(LOCAL_WINDOWS.databaseMaintenance) },
    cache: { snapshotWindow: daily(LOCAL_WINDOWS.cacheSnapshot), maintenanceWindow: weekly(LOCAL_WINDOWS.cacheMaintenance) },
    backup: { scheduleExpression: `cron(0 ${LOCAL_WINDOWS.awsBackupHour} * * ? *)`, timeZone },
  };
}

/** Per time zone: the reference dates are fixed, and each Intl formatter costs milliseconds (a fleet shares a few zones). */
const standardOffsets = new Map<string, number>();

/** Minutes east of UTC in winter: the smaller of the two reference offsets. */
export function standardOffsetMinutes(timeZone: string): number {
  let offset = standardOffsets.get(timeZone);
  if (offset === undefined)
    standardOffsets.set(timeZone, (offset = Math.min(...REFERENCE_DATES.map((date) => offsetMinutes(timeZone, date)))));
  return offset;
}

/** Minutes east of UTC at `epochMs` in `timeZone` (e.g. 600 for Sydney in winter). */
export function offsetMinutes(timeZone: string, epochMs: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(epochMs)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name ?? '');
  if (!match) throw new Error(`cannot read the UTC offset of time zone "${timeZone}" (got "${name}")`);
  if (!match[1]) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (minutes: number) => `${pad(Math.floor(minutes / 60) % 24)}:${pad(minutes % 60)}`;
const mod = (n: number, m: number) => ((n % m) + m) % m;

function dailyRange(startUtc: number, minutes: number): string {
  const start = mod(startUtc, DAY);
  return `${clock(start)}-${clock(mod(start + minutes, DAY))}`;
}

function weeklyRange(startUtc: number, minutes: number): string {
  const start = mod(startUtc, WEEK);
  const end = mod(start + minutes, WEEK);
  const at = (m: number) => `${DAYS[Math.floor(m / DAY)]}:${clock(m % DAY)}`;
  return `${at(start)}-${at(end)}`;
}

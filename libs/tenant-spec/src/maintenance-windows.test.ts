import { describe, expect, it } from 'vitest';
import { maintenanceWindows, offsetMinutes } from './maintenance-windows.js';
import { REGION_TIME_ZONES } from './regions.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WINTER_AND_SUMMER = [Date.UTC(2026, 0, 20, 12), Date.UTC(2026, 6, 20, 12)];

/** Local clock minutes (and weekday) of a UTC "ddd:hh:mm" or "hh:mm" at a given date's offset. */
function local(utc: string, offset: number): { day?: string; minutes: number } {
  const [, day, hh, mm] = /^(?:([a-z]{3}):)?(\d{2}):(\d{2})$/.exec(utc)!;
  const total = (day ? DAYS.indexOf(day) * 1440 : 0) + Number(hh) * 60 + Number(mm) + offset;
  const week = ((total % 10080) + 10080) % 10080;
  return { day: day ? DAYS[Math.floor(week / 1440)] : undefined, minutes: week % 1440 };
}

describe('maintenance windows', () => {
  it.each(Object.entries(REGION_TIME_ZONES))(
    '%s (%s): every window starts between 01:00 and 06:00 local, summer and winter',
    (_region, zone) => {
      const windows = maintenanceWindows(zone);
      for (const date of WINTER_AND_SUMMER) {
        const offset = offsetMinutes(zone, date);
        for (const range of [
          windows.database.backupWindow,
          windows.database.maintenanceWindow,
          windows.cache.snapshotWindow,
          windows.cache.maintenanceWindow,
        ]) {
          const start = local(range.split('-')[0]!, offset);
          expect(start.minutes, `${zone} ${range} at offset ${offset}`).toBeGreaterThanOrEqual(60);
          expect(start.minutes, `${zone} ${range} at offset ${offset}`).toBeLessThan(6 * 60);
          if (start.day) expect(start.day, `${zone} ${range}`).toBe('sun');
        }
      }
    },
  );

  it('converts Sydney (UTC+10 in winter) to the previous UTC day', () => {
    expect(maintenanceWindows('Australia/Sydney')).toMatchObject({
      database: { backupWindow: '16:00-16:30', maintenanceWindow: 'sat:17:00-sat:17:30' },
      cache: { snapshotWindow: '16:30-17:30', maintenanceWindow: 'sat:18:00-sat:19:00' },
      backup: { scheduleExpression: 'cron(0 1 * * ? *)', timeZone: 'Australia/Sydney' },
    });
  });

  it('keeps the database backup and maintenance windows apart, and the cache snapshot and maintenance windows', () => {
    const { database, cache } = maintenanceWindows('Asia/Kolkata');
    expect(database).toEqual({ backupWindow: '20:30-21:00', maintenanceWindow: 'sat:21:30-sat:22:00' });
    expect(cache).toEqual({ snapshotWindow: '21:00-22:00', maintenanceWindow: 'sat:22:30-sat:23:30' });
  });
});

import { MINUTE, type AlarmSpec } from '../alarm-spec.js';

/**
 * The Route 53 health check on the tenant's deep health path: Route 53 publishes its status
 * (1 healthy, 0 unhealthy) every minute, in us-east-1 only.
 */
export function healthCheckAlarms(healthCheckId: string, url: string): AlarmSpec[] {
  return [
    {
      id: 'deep-health-check',
      title: 'Site: deep health check (1 = healthy)',
      description: `${url} failed the deep health check for 3 minutes: learners cannot use the site (database, cache, files or the application is down).`,
      period: MINUTE,
      periods: 3,
      // Route 53 reports every minute: silence means the health check is gone.
      missingData: 'breaching',
      global: true,
      condition: {
        kind: 'threshold',
        metric: {
          namespace: 'AWS/Route53',
          metricName: 'HealthCheckStatus',
          dimensions: { HealthCheckId: healthCheckId },
          stat: 'Minimum',
        },
        above: false,
        threshold: 1,
      },
    },
  ];
}

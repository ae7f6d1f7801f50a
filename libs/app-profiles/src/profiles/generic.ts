import type { ApplicationProfile } from '../profile.js';

/**
 * Any other web application: the release AMI provides an `app` systemd unit that reads
 * /etc/hafleet/app.env, serves /health (deep) and runs /opt/app/bin/cron on the worker.
 */
export const generic: ApplicationProfile = {
  name: 'generic',
  title: 'Generic web application',
  port: 80,
  health: { shallowPath: '/hafleet-health.txt', shallowFile: '/var/www/html/hafleet-health.txt', deepPath: '/health' },
  waf: { largeBodyPaths: ['/upload/', '/api/'], countModePaths: [] },
  cron: { user: 'app', command: '/opt/app/bin/cron', everyMinutes: 5 },
  config: {
    path: '/etc/hafleet/app.env',
    owner: 'root:app',
    mode: '0640',
    template: `# Rendered at boot by hafleet from the tenant's published configuration: do not edit.
SITE_URL={{HAFLEET_SITE_URL}}
RELEASE={{HAFLEET_RELEASE}}
TZ={{HAFLEET_TIME_ZONE}}
DB_ENGINE={{HAFLEET_DB_ENGINE}}
DB_HOST={{HAFLEET_DB_WRITER_ENDPOINT}}
DB_READER_HOST={{HAFLEET_DB_READER_ENDPOINT}}
DB_PORT={{HAFLEET_DB_PORT}}
DB_NAME={{HAFLEET_DB_NAME}}
DB_USER={{HAFLEET_DB_USERNAME}}
DB_PASSWORD={{HAFLEET_DB_PASSWORD}}
DB_SSL=require
SESSION_CACHE_HOST={{HAFLEET_CACHE_SESSIONS_ENDPOINT}}
APP_CACHE_HOST={{HAFLEET_CACHE_APPLICATION_ENDPOINT}}
CACHE_PORT={{HAFLEET_CACHE_PORT}}
CACHE_TLS=true
CACHE_PASSWORD={{HAFLEET_CACHE_PASSWORD}}
DATA_DIR=/var/lib/app/data
CONTENT_BUCKET={{HAFLEET_CONTENT_BUCKET}}
CDN_DOMAIN={{HAFLEET_CDN_DOMAIN}}
SMTP_HOST={{HAFLEET_SMTP_HOST}}
SMTP_PORT={{HAFLEET_SMTP_PORT}}
SMTP_USER={{HAFLEET_SMTP_USERNAME}}
SMTP_PASSWORD={{HAFLEET_SMTP_PASSWORD}}
MAIL_FROM={{HAFLEET_MAIL_FROM}}
`,
  },
  files: { mountPath: '/var/lib/app/data', uid: 1001, gid: 1001 },
  services: ['app'],
  timeouts: { requestSeconds: 120, originReadSeconds: 60, originKeepAliveSeconds: 30, deregistrationDelaySeconds: 60 },
  requestsPerTargetPerMinute: 1000,
};

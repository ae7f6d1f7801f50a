import type { ApplicationProfile } from '../profile.js';

/**
 * A SCORM/xAPI engine (Java on Tomcat) as the seeds' managed-hosting case runs it: course
 * imports and xAPI statements are large POST bodies; the player's runtime calls are many and small.
 */
export const scormEngine: ApplicationProfile = {
  name: 'scorm-engine',
  title: 'SCORM/xAPI engine',
  port: 8080,
  health: {
    shallowPath: '/hafleet-health.txt',
    shallowFile: '/opt/scorm-engine/webapps/ROOT/hafleet-health.txt',
    deepPath: '/RusticiEngine/api/v2/ping',
  },
  waf: {
    largeBodyPaths: ['/RusticiEngine/api/', '/RusticiEngine/lrs/', '/RusticiEngine/ScormEngineInterface/', '/RusticiEngine/defaultui/'],
    countModePaths: ['/RusticiEngine/lrs/', '/RusticiEngine/ScormEngineInterface/'],
  },
  cron: { user: 'tomcat', command: '/opt/scorm-engine/bin/scheduled-maintenance', everyMinutes: 15 },
  config: {
    path: '/opt/scorm-engine/conf/engine.properties',
    owner: 'root:tomcat',
    mode: '0640',
    template: `# Rendered at boot by hafleet from the tenant's published configuration: do not edit.
engine.site.url={{HAFLEET_SITE_URL}}
engine.release={{HAFLEET_RELEASE}}
engine.timezone={{HAFLEET_TIME_ZONE}}
database.engine={{HAFLEET_DB_ENGINE}}
database.host={{HAFLEET_DB_WRITER_ENDPOINT}}
database.reader.host={{HAFLEET_DB_READER_ENDPOINT}}
database.port={{HAFLEET_DB_PORT}}
database.name={{HAFLEET_DB_NAME}}
database.username={{HAFLEET_DB_USERNAME}}
database.password={{HAFLEET_DB_PASSWORD}}
database.ssl=require
cache.host={{HAFLEET_CACHE_APPLICATION_ENDPOINT}}
cache.port={{HAFLEET_CACHE_PORT}}
cache.tls=true
cache.password={{HAFLEET_CACHE_PASSWORD}}
files.root=/var/lib/scorm-engine/content
content.bucket={{HAFLEET_CONTENT_BUCKET}}
content.cdn.domain={{HAFLEET_CDN_DOMAIN}}
mail.smtp.host={{HAFLEET_SMTP_HOST}}
mail.smtp.port={{HAFLEET_SMTP_PORT}}
mail.smtp.starttls=true
mail.smtp.username={{HAFLEET_SMTP_USERNAME}}
mail.smtp.password={{HAFLEET_SMTP_PASSWORD}}
mail.from={{HAFLEET_MAIL_FROM}}
`,
  },
  files: { mountPath: '/var/lib/scorm-engine/content', uid: 91, gid: 91 },
  services: ['tomcat'],
  timeouts: { requestSeconds: 900, originReadSeconds: 60, originKeepAliveSeconds: 60, deregistrationDelaySeconds: 120 },
  requestsPerTargetPerMinute: 3000,
};

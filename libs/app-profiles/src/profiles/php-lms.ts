import type { ApplicationProfile } from '../profile.js';

/**
 * Moodle and Totara share one PHP code base lineage: the same config.php variables, the same
 * Redis session handler, the same cron script. This builds either from what differs.
 */
export function phpLmsProfile(settings: {
  name: string;
  title: string;
  codeRoot: string;
  dataRoot: string;
  configDir: string;
  cronScript: string;
}): ApplicationProfile {
  const { codeRoot, dataRoot, configDir } = settings;
  return {
    name: settings.name,
    title: settings.title,
    port: 80,
    health: {
      shallowPath: '/hafleet-health.txt',
      shallowFile: `${codeRoot}/hafleet-health.txt`,
      // Needs the database, the session cache and the data directory.
      deepPath: '/login/index.php',
    },
    waf: {
      largeBodyPaths: [
        '/lib/ajax/service.php',
        '/lib/ajax/service-nologin.php',
        '/repository/',
        '/draftfile.php',
        '/pluginfile.php',
        '/webservice/',
        '/mod/quiz/',
        '/mod/forum/',
        '/mod/assign/',
        '/mod/scorm/',
        '/mod/h5pactivity/',
        '/course/modedit.php',
        '/backup/',
        '/admin/tool/uploaduser/',
      ],
      // Authoring and runtime requests legitimately carry HTML, SQL-looking text and code samples.
      countModePaths: ['/lib/ajax/service.php', '/course/modedit.php', '/mod/forum/post.php', '/mod/quiz/', '/mod/scorm/', '/webservice/'],
    },
    cron: { user: 'apache', command: `/usr/bin/php ${settings.cronScript}`, everyMinutes: 1 },
    config: { path: `${configDir}/config.php`, owner: 'root:apache', mode: '0640', template: phpLmsConfig(dataRoot, codeRoot) },
    files: { mountPath: dataRoot, uid: 48, gid: 48 },
    services: ['php-fpm', 'httpd'],
    timeouts: {
      // Course restores and SCORM package imports run for minutes on large packages.
      requestSeconds: 900,
      originReadSeconds: 60,
      originKeepAliveSeconds: 60,
      deregistrationDelaySeconds: 300,
    },
    requestsPerTargetPerMinute: 1500,
  };
}

function phpLmsConfig(dataRoot: string, codeRoot: string): string {
  return `<?php // Rendered at boot by hafleet from the tenant's published configuration: do not edit.
unset($CFG);
global $CFG;
$CFG = new stdClass();

$CFG->dbtype    = ['mysql' => 'mysqli', 'aurora-mysql' => 'auroramysql', 'postgres' => 'pgsql', 'aurora-postgresql' => 'pgsql']['{{HAFLEET_DB_ENGINE}}'];
$CFG->dblibrary = 'native';
$CFG->dbhost    = '{{HAFLEET_DB_WRITER_ENDPOINT}}';
$CFG->dbname    = '{{HAFLEET_DB_NAME}}';
$CFG->dbuser    = '{{HAFLEET_DB_USERNAME}}';
$CFG->dbpass    = '{{HAFLEET_DB_PASSWORD}}';
$CFG->prefix    = 'mdl_';
$CFG->dboptions = [
    'dbpersist' => false,
    'dbport'    => '{{HAFLEET_DB_PORT}}',
    // The database refuses connections without TLS (Moodle 4.4+ reads this for mysqli and pgsql).
    'ssl'       => 'require',
    'readonly'  => ['instance' => ['{{HAFLEET_DB_READER_ENDPOINT}}']],
];

$CFG->wwwroot   = '{{HAFLEET_SITE_URL}}';
$CFG->dataroot  = '${dataRoot}';
$CFG->localcachedir = '/var/cache/hafleet/localcache';
$CFG->directorypermissions = 02770;
$CFG->sslproxy  = true;
$CFG->timezone  = '{{HAFLEET_TIME_ZONE}}';

$CFG->session_handler_class = '\\core\\session\\redis';
$CFG->session_redis_host    = '{{HAFLEET_CACHE_SESSIONS_ENDPOINT}}';
$CFG->session_redis_port    = {{HAFLEET_CACHE_PORT}};
// TLS; Moodle hands this array to phpredis as the TLS stream options: verify the cache's certificate.
$CFG->session_redis_encrypt = ['verify_peer' => true, 'verify_peer_name' => true];
// AUTH as the cache's default user (its password; the cache has no other user).
$CFG->session_redis_auth    = '{{HAFLEET_CACHE_PASSWORD}}';
$CFG->session_redis_prefix  = 'sess_';
$CFG->session_redis_acquire_lock_timeout = 120;
$CFG->session_redis_lock_expire = 7200;

$CFG->smtphosts      = '{{HAFLEET_SMTP_HOST}}:{{HAFLEET_SMTP_PORT}}';
$CFG->smtpsecure     = 'tls';
$CFG->smtpauthtype   = 'LOGIN';
$CFG->smtpuser       = '{{HAFLEET_SMTP_USERNAME}}';
$CFG->smtppass       = '{{HAFLEET_SMTP_PASSWORD}}';
$CFG->noreplyaddress = '{{HAFLEET_MAIL_FROM}}';

// Cron runs on the worker node only (hafleet's worker tier).
$CFG->cronclionly = true;
$CFG->release_hafleet = '{{HAFLEET_RELEASE}}';

require_once('${codeRoot}/lib/setup.php');
`;
}

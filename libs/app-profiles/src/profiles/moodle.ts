import { phpLmsProfile } from './php-lms.js';

/** Moodle (4.x) on the release AMI: httpd + php-fpm, code in /var/www/moodle. */
export const moodle = phpLmsProfile({
  name: 'moodle',
  title: 'Moodle',
  codeRoot: '/var/www/moodle',
  configDir: '/var/www/moodle',
  dataRoot: '/var/www/moodledata',
  cronScript: '/var/www/moodle/admin/cli/cron.php',
});

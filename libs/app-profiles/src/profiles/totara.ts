import { phpLmsProfile } from './php-lms.js';

/** Totara (13+) on the release AMI: config.php at the top, code below server/. */
export const totara = phpLmsProfile({
  name: 'totara',
  title: 'Totara',
  codeRoot: '/var/www/totara/server',
  configDir: '/var/www/totara',
  dataRoot: '/var/www/totaradata',
  cronScript: '/var/www/totara/server/admin/cli/cron.php',
});

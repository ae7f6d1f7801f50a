export {
  renderUserData,
  INSTANCE_SCRIPT_PATH,
  RUNTIME_ENV_PATH,
  REFRESH_UNIT,
  CRON_UNIT,
  REFRESH_EVERY_MINUTES,
  USER_DATA_LIMIT_BYTES,
  type UserDataProps,
  type InstanceRole,
} from './user-data.js';
export {
  renderDatabaseProvisionerUserData,
  DATABASE_PROVISIONER_SCRIPT_PATH,
  DATABASE_PROVISIONER_PARAMETERS,
  APP_DATABASE_USERS,
  type DatabaseProvisionerProps,
} from './database-provisioner.js';
export { InstanceBootError } from './shell.js';

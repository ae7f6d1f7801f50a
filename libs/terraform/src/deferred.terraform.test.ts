import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs, writeJson } from '@hafleet/testing';
import { resolveProviderMirror, writeCliConfig } from './cli-config.js';
import { describeDeferred } from './deferred.js';
import { OFFLINE_AWS_PROVIDER_SETTINGS } from './offline.js';
import { summarisePlan, type PlanSummary } from './plan-summary.js';
import { TerraformRunner } from './runner.js';

/**
 * The real terraform and AWS provider plan updates of existing databases and caches. Offline
 * nothing can be applied, so the "existing" resources are a local state file written here in
 * terraform's state format (v4), and the plan skips the refresh (`-refresh=false`) that would ask
 * AWS about them: what terraform compares, decides and prints in `show -json` is all its own.
 */

const mirror = resolveProviderMirror();
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const WINDOW = 'sun:16:00-sun:16:30';
const CACHE_WINDOW = 'mon:15:00-mon:16:00';

/** What the configuration says now. */
const database = (identifier: string, settings: Record<string, unknown>) => ({
  identifier,
  engine: 'postgres',
  engine_version: '16.3',
  instance_class: 'db.r6g.large',
  allocated_storage: 100,
  username: 'app',
  manage_master_user_password: true,
  skip_final_snapshot: true,
  maintenance_window: WINDOW,
  ...settings,
});

const stack = {
  terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
  provider: {
    aws: [
      {
        region: 'eu-west-1',
        access_key: OFFLINE_AWS_PROVIDER_SETTINGS.accessKey,
        secret_key: OFFLINE_AWS_PROVIDER_SETTINGS.secretKey,
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: OFFLINE_AWS_PROVIDER_SETTINGS.skipMetadataApiCheck,
      },
    ],
  },
  resource: {
    aws_db_instance: {
      // Resized and upgraded, waiting for the window (the provider's default, said out loud).
      resized: database('resized', { instance_class: 'db.r6g.xlarge', engine_version: '16.4', apply_immediately: false }),
      // The same resize, applied at once.
      now: database('now', { instance_class: 'db.r6g.xlarge', apply_immediately: true }),
      // More storage, apply_immediately unset (AWS's default: false) and no window known.
      grown: database('grown', { allocated_storage: 200, maintenance_window: undefined }),
      // An update that AWS applies at once whatever apply_immediately says.
      retagged: database('retagged', { tags: { team: 'b' } }),
    },
    aws_elasticache_replication_group: {
      // A bigger node type waits; a third node (the provider adds replicas immediately) does not.
      sessions: {
        replication_group_id: 'sessions',
        description: 'sessions',
        engine: 'redis',
        engine_version: '7.1',
        node_type: 'cache.r7g.large',
        num_cache_clusters: 3,
        maintenance_window: CACHE_WINDOW,
        apply_immediately: false,
      },
    },
  },
};

/** What AWS was last seen to hold: the state before the change. */
const provider = 'provider["registry.terraform.io/hashicorp/aws"]';
const existingDatabase = (name: string, attributes: Record<string, unknown> = {}) => ({
  mode: 'managed',
  type: 'aws_db_instance',
  name,
  provider,
  instances: [
    {
      schema_version: 2,
      attributes: {
        ...database(name, {}),
        id: `db-${name}`,
        apply_immediately: false,
        auto_minor_version_upgrade: true,
        copy_tags_to_snapshot: false,
        dedicated_log_volume: false,
        delete_automated_backups: true,
        monitoring_interval: 0,
        performance_insights_enabled: false,
        publicly_accessible: false,
        ...attributes,
      },
    },
  ],
});

const state = {
  version: 4,
  terraform_version: '1.11.4',
  serial: 1,
  lineage: '6f1c1f4e-0c55-4c1e-9d8a-3a7e4d2b9c10',
  outputs: {},
  resources: [
    existingDatabase('resized'),
    existingDatabase('now', { apply_immediately: true }),
    existingDatabase('grown', { maintenance_window: null }),
    existingDatabase('retagged', { tags: { team: 'a' } }),
    {
      mode: 'managed',
      type: 'aws_elasticache_replication_group',
      name: 'sessions',
      provider,
      instances: [
        {
          schema_version: 2,
          attributes: {
            id: 'sessions',
            replication_group_id: 'sessions',
            description: 'sessions',
            engine: 'redis',
            engine_version: '7.1',
            node_type: 'cache.r7g.medium',
            num_cache_clusters: 2,
            maintenance_window: CACHE_WINDOW,
            security_group_names: [],
            auth_token_update_strategy: 'ROTATE',
            automatic_failover_enabled: false,
            multi_az_enabled: false,
          },
        },
      ],
    },
  ],
};

describe.skipIf(mirror === undefined)('deferred changes in a real plan (terraform + AWS provider, offline)', () => {
  let summary: PlanSummary;
  beforeAll(async () => {
    const dir = dirs.make();
    writeJson(dir, 'main.tf.json', stack);
    writeJson(dir, 'terraform.tfstate', state);
    const runner = new TerraformRunner({ workingDir: dir, cliConfigFile: writeCliConfig(dir, mirror!) });
    await runner.init();
    await runner.run(['plan', '-refresh=false', '-input=false', '-no-color', `-out=${join(dir, 'tfplan')}`]);
    summary = summarisePlan(await runner.showJson(join(dir, 'tfplan')));
  });

  it('plans every resource as an in-place update (the state is what terraform accepts)', () => {
    expect(summary).toMatchObject({ add: 0, change: 5, destroy: 0, replace: 0 });
  });

  it('names the updates that wait for the maintenance window, with the attributes and the window in UTC', () => {
    expect(summary.deferred).toEqual([
      { address: 'aws_db_instance.grown', type: 'aws_db_instance', attributes: ['allocated_storage'] },
      { address: 'aws_db_instance.resized', type: 'aws_db_instance', attributes: ['instance_class', 'engine_version'], window: WINDOW },
      {
        address: 'aws_elasticache_replication_group.sessions',
        type: 'aws_elasticache_replication_group',
        attributes: ['node_type'],
        window: CACHE_WINDOW,
      },
    ]);
    expect(summary.deferred.map(describeDeferred)).toEqual([
      'aws_db_instance.grown (allocated_storage) waits for the next maintenance window (AWS picks it)',
      `aws_db_instance.resized (instance_class, engine_version) waits for the maintenance window ${WINDOW} UTC`,
      `aws_elasticache_replication_group.sessions (node_type) waits for the maintenance window ${CACHE_WINDOW} UTC`,
    ]);
  });

  it('does not defer what is applied immediately: apply_immediately true, or a change AWS makes at once', () => {
    const deferred = summary.deferred.map((d) => d.address);
    expect(deferred).not.toContain('aws_db_instance.now');
    expect(deferred).not.toContain('aws_db_instance.retagged');
    expect(summary.changes.map((c) => c.address)).toEqual(expect.arrayContaining(['aws_db_instance.now', 'aws_db_instance.retagged']));
  });
});

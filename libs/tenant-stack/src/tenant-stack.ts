import {
  RUNTIME_PARAMETERS,
  WORKER_HEARTBEAT_METRIC,
  applicationProfile,
  runtimeParameterPath,
  type ApplicationProfile,
  type RuntimeParameterKey,
} from '@hafleet/app-profiles';
import {
  CacheCluster,
  ContentBucket,
  ContentDelivery,
  CredentialsSecret,
  Database,
  DatabaseProvisioner,
  DisasterRecoveryVault,
  InstanceScanning,
  LOG_PREFIXES,
  LogBucket,
  MaintenancePage,
  Network,
  OriginVerifySecret,
  RegionalWebAcl,
  RuntimeConfiguration,
  SharedFileSystem,
  TenantBackup,
  TenantKey,
  TenantMail,
  TenantObservability,
  VIEWER_IP_HEADER,
  WebTier,
  Worker,
  type InstancePolicyStatement,
  type PublishedValue,
  type UsEast1Placement,
} from '@hafleet/ha-modules';
import {
  DATABASE_PROVISIONER_PARAMETERS,
  renderDatabaseProvisionerUserData,
  renderUserData,
  type InstanceRole,
} from '@hafleet/instance-boot';
import {
  cloudFrontOriginFacingPrefixList,
  exemptPaths,
  maintenanceWindows,
  subnetLayout,
  wafExemptions,
  type FleetConfig,
  type TenantSpec,
} from '@hafleet/tenant-spec';
import { OFFLINE_AWS_PROVIDER_SETTINGS } from '@hafleet/terraform';
import { AwsProvider, type AwsProviderAssumeRole } from '@cdktf/provider-aws/lib/provider';
import { App, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { StackMode } from './mode.js';

export interface TenantStackProps {
  readonly spec: TenantSpec;
  /** The fleet's settings: hosting account and remote state. */
  readonly fleet: FleetConfig;
  /** Default: offline. */
  readonly mode?: StackMode;
  /** Offline state file, relative to the stack folder. Default `terraform.tfstate`. */
  readonly localStatePath?: string;
  /**
   * Database and cache changes take effect now instead of in the maintenance window: for one
   * deliberate run only (`fleet rollout --apply-immediately`). Default false.
   */
  readonly applyImmediately?: boolean;
  /** Restore the database from this snapshot or recovery point ARN (a DR restore, the restore drill). Default: a new, empty database. */
  readonly databaseSnapshotArn?: string;
}

/**
 * One tenant's whole, isolated high-availability platform: its own key, VPC, edge, web and worker
 * tiers, database, cache, files, CDN, alarms and backups. The stack name is the tenant name.
 */
export class TenantStack extends TerraformStack {
  readonly key: TenantKey;
  readonly network: Network;
  readonly webTier: WebTier;
  readonly worker: Worker;
  readonly database: Database;
  readonly caches: CacheCluster[];
  readonly fileSystem: SharedFileSystem;
  readonly contentBucket: ContentBucket;
  readonly cdn: ContentDelivery | undefined;
  readonly profile: ApplicationProfile;
  readonly runtimeConfiguration: RuntimeConfiguration;
  readonly databaseProvisioner: DatabaseProvisioner;
  readonly cacheCredentials: CredentialsSecret;
  readonly mail: TenantMail;

  constructor(scope: Construct, props: TenantStackProps) {
    const { spec, fleet } = props;
    const mode = props.mode ?? 'offline';
    super(scope, spec.name);
    const name = spec.name;
    const accountId = spec.account.id ?? fleet.defaultAccountId;
    const offline = mode === 'offline' ? OFFLINE_AWS_PROVIDER_SETTINGS : {};
    const tenantTags = { ...spec.tags, tenant: name, 'managed-by': 'hafleet' };
    const defaultTags = [{ tags: tenantTags }];
    const assumeRole =
      spec.account.deployerRoleArn && mode === 'remote'
        ? [{ roleArn: spec.account.deployerRoleArn, sessionName: `hafleet-${name}` }]
        : undefined;

    new AwsProvider(this, 'aws', { region: spec.region, defaultTags, assumeRole, ...offline });
    this.configureBackend(mode, props);

    this.key = new TenantKey(this, 'key', { name, accountId, region: spec.region });
    const kmsKeyArn = this.key.keyArn;
    const zones = spec.availabilityZones;

    // Flow logs go to the log bucket (their own lifecycle rule) or to a log group, as the spec says.
    const { flowLogs } = spec.observability;
    const flowLogsToS3 = flowLogs.destination === 's3';
    // ACLs stay on only where CloudFront standard logs need them.
    const logs = new LogBucket(this, 'logs', {
      name,
      accountId,
      cloudFrontLogs: spec.cdn !== undefined,
      flowLogs: flowLogsToS3 ? { retentionDays: flowLogs.retentionDays, region: spec.region } : undefined,
    });
    this.network = new Network(this, 'network', {
      name,
      region: spec.region,
      cidr: spec.network.vpcCidr,
      availabilityZones: zones,
      subnets: subnetLayout(spec.network.vpcCidr, zones.length),
      natGateways: spec.network.natGateways,
      kmsKeyArn,
      flowLogRetentionDays: flowLogs.retentionDays,
      flowLogBucket: flowLogsToS3 ? { arn: logs.bucketArn, prefix: LOG_PREFIXES.flowLogs } : undefined,
    });
    const { vpcId, publicPlacement, appPlacement, dataPlacement } = this.network;
    this.profile = applicationProfile(spec.app.profile);
    const { timeouts } = this.profile;
    const windows = maintenanceWindows(spec.timeZone);
    const applyImmediately = props.applyImmediately ?? false;

    this.contentBucket = new ContentBucket(this, 'content', {
      name,
      accountId,
      kmsKeyArn,
      logBucket: { name: logs.bucketName },
      noncurrentVersionExpirationDays: spec.files.noncurrentVersionDays,
    });
    // Behind the CDN the ALB answers only requests carrying this secret header.
    const originVerify = spec.cdn ? new OriginVerifySecret(this, 'origin-verify') : undefined;

    // default_tags reach neither auto scaling groups nor what they launch: the tenant tags go explicitly.
    // The release tag is in the launch templates: a release change alone rolls the instances.
    const launchTags = { ...tenantTags, ...(spec.app.release ? { release: spec.app.release } : {}), profile: spec.app.profile };
    const compute = {
      placement: appPlacement,
      amiId: spec.app.amiId,
      kmsKeyArn,
      rootVolumeGiB: spec.app.rootVolumeGiB,
      rootDeviceName: spec.app.rootDeviceName,
      launchTags,
    };
    // What each instance does at boot (@hafleet/instance-boot): literal text, so it changes only with the release or the profile.
    const parameterPath = runtimeParameterPath(name);
    const bootUserData = (role: InstanceRole) =>
      base64(
        renderUserData({
          tenant: name,
          region: spec.region,
          role,
          profile: this.profile,
          release: spec.app.release ?? spec.app.amiId,
          parameterPath,
        }),
      );
    this.webTier = new WebTier(this, 'web', {
      ...compute,
      name,
      loadBalancerPlacement: publicPlacement,
      instanceType: spec.app.instanceType,
      appPort: spec.app.port,
      healthCheckPath: spec.app.healthCheckPath,
      minCapacity: spec.web.minCapacity,
      maxCapacity: spec.web.maxCapacity,
      desiredCapacity: spec.web.desiredCapacity,
      cpuTargetPercent: spec.web.cpuTargetPercent,
      requestsPerTargetPerMinute: this.profile.requestsPerTargetPerMinute,
      healthCheckGraceSeconds: spec.web.healthCheckGraceSeconds,
      minHealthyPercent: spec.web.minHealthyPercent,
      maxHealthyPercent: spec.web.maxHealthyPercent,
      idleTimeoutSeconds: timeouts.requestSeconds,
      deregistrationDelaySeconds: timeouts.deregistrationDelaySeconds,
      certificateArn: spec.edge.certificateArn,
      accessLogs: { bucketName: logs.bucketName },
      originVerify: originVerify && { headerName: originVerify.headerName, secret: originVerify.value },
      // Behind CloudFront, only its origin-facing servers reach the load balancer (and only ours carry the secret).
      originPrefixListId: spec.cdn ? cloudFrontOriginFacingPrefixList(spec.region, name) : undefined,
      userData: bootUserData('web'),
    });
    this.worker = new Worker(this, 'worker', {
      ...compute,
      name,
      instanceType: spec.worker.instanceType,
      userData: bootUserData('worker'),
    });
    const provisionerGroup = `${name}-db-provisioner`;
    this.databaseProvisioner = new DatabaseProvisioner(this, 'db-provisioner', {
      name,
      placement: appPlacement,
      amiId: spec.app.amiId,
      kmsKeyArn,
      launchTags: tenantTags,
      userData: base64(
        renderDatabaseProvisionerUserData({ tenant: name, region: spec.region, parameterPath, autoScalingGroupName: provisionerGroup }),
      ),
    });
    // Each data tier opens the connection from these groups: ingress on its own group, egress on theirs.
    const instanceGroups = [this.webTier.appSecurityGroupId, this.worker.securityGroupId];

    const exemptions = wafExemptions(spec);
    const regionalWebAcl = new RegionalWebAcl(this, 'waf', {
      name,
      albArn: this.webTier.albArn,
      rateLimitPerFiveMinutes: spec.edge.rateLimitPerFiveMinutes,
      // Behind CloudFront every connection comes from an edge server; CloudFront's own web ACL
      // limits each viewer by its real address, this one by the address CloudFront's function writes.
      clientIpHeader: spec.cdn ? VIEWER_IP_HEADER : undefined,
      largeBodyPaths: exemptPaths(exemptions.largeBodyPaths),
      countModePaths: exemptPaths(exemptions.countModePaths),
      kmsKeyArn,
      shieldAdvanced: spec.edge.shieldAdvanced,
    });

    this.database = new Database(this, 'database', {
      name,
      engine: spec.database.engine,
      instanceClass: spec.database.instanceClass,
      ...(spec.database.engine.startsWith('aurora')
        ? { readerCount: spec.database.readers }
        : { allocatedStorageGiB: spec.database.allocatedStorageGiB }),
      placement: dataPlacement,
      allowedSecurityGroupIds: [...instanceGroups, this.databaseProvisioner.securityGroupId],
      kmsKeyArn,
      backupRetentionDays: spec.database.backupRetentionDays,
      windows: windows.database,
      applyImmediately,
      snapshotIdentifier: props.databaseSnapshotArn,
    });

    // Every cache group of the tenant takes the same credentials: one secret for the instances to read.
    this.cacheCredentials = new CredentialsSecret(this, 'cache-credentials', {
      secretName: `hafleet/${name}/cache`,
      description: `${name}: what the cache clients authenticate with (AUTH as the default user)`,
      kmsKeyArn,
      username: 'default',
    });

    const purposes = spec.cache.separateApplicationCache ? (['sessions', 'application'] as const) : (['sessions'] as const);
    this.caches = purposes.map(
      (purpose) =>
        new CacheCluster(this, `cache-${purpose}`, {
          name,
          purpose,
          engine: spec.cache.engine,
          nodeType: spec.cache.nodeType,
          replicasPerNodeGroup: spec.cache.replicas,
          placement: dataPlacement,
          allowedSecurityGroupIds: instanceGroups,
          kmsKeyArn,
          authPassword: this.cacheCredentials.password!,
          snapshotWindow: windows.cache.snapshotWindow,
          maintenanceWindow: windows.cache.maintenanceWindow,
          applyImmediately,
        }),
    );

    this.fileSystem = new SharedFileSystem(this, 'user-data', {
      name,
      placement: appPlacement,
      allowedSecurityGroupIds: instanceGroups,
      kmsKeyArn,
      accountId,
      accessPoint: { path: '/data', uid: this.profile.files.uid, gid: this.profile.files.gid },
      // TenantBackup covers it: one backup, in the tenant's own vault (and its DR copy).
      automaticBackups: false,
    });

    this.cdn =
      spec.cdn && originVerify
        ? this.contentDelivery(spec, spec.cdn, { logs, originVerify, offline, defaultTags, assumeRole, accountId })
        : undefined;

    this.mail = new TenantMail(this, 'mail', {
      name,
      domain: spec.domain,
      fromAddress: spec.mail.fromAddress,
      region: spec.region,
      accountId,
      kmsKeyArn,
      placement: appPlacement,
      clientSecurityGroupIds: instanceGroups,
      relay: spec.mail.relay,
    });

    this.runtimeConfiguration = new RuntimeConfiguration(this, 'runtime', {
      name,
      path: parameterPath,
      region: spec.region,
      accountId,
      kmsKeyArn,
      values: this.publishedValues(spec),
    });

    const instanceAccess = this.instanceAccess(kmsKeyArn);
    this.webTier.addInstancePolicy('platform-access', instanceAccess);
    this.worker.addInstancePolicy('platform-access', [
      ...instanceAccess,
      {
        // PutMetricData has no resource-level permissions: the namespace condition is the scope.
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': WORKER_HEARTBEAT_METRIC.namespace } },
      },
    ]);
    this.databaseProvisioner.addInstancePolicy('provision-database', this.provisionerAccess(kmsKeyArn));
    this.databaseProvisioner.runAfter([...this.database.available, ...this.runtimeConfiguration.published]);

    const [sessions] = this.caches;
    new TenantObservability(this, 'observability', {
      name,
      accountId,
      region: spec.region,
      kmsKeyArn,
      alertEmails: spec.alerts.emails,
      loadBalancer: { arnSuffix: this.webTier.albArnSuffix, targetGroupArnSuffix: this.webTier.targetGroupArnSuffix },
      webAutoScalingGroup: {
        name: this.webTier.autoScalingGroupName,
        minCapacity: spec.web.minCapacity,
        maxCapacity: spec.web.maxCapacity,
      },
      database: {
        kind: this.database.kind,
        identifier: this.database.identifier,
        readerIdentifiers: this.database.readerIdentifiers,
        instanceIdentifiers: this.database.kind === 'cluster' ? this.database.instanceIdentifiers : undefined,
        ...(this.database.kind === 'instance' ? { allocatedStorageGiB: spec.database.allocatedStorageGiB } : {}),
      },
      cache: sessions && { replicationGroupId: sessions.replicationGroupId, memberClusterIds: sessions.memberClusterIds },
      fileSystem: { id: this.fileSystem.fileSystemId },
      workerHeartbeat: {
        namespace: WORKER_HEARTBEAT_METRIC.namespace,
        metricName: WORKER_HEARTBEAT_METRIC.metricName,
        dimensions: { [WORKER_HEARTBEAT_METRIC.dimension]: name },
        everyMinutes: this.profile.cron.everyMinutes,
      },
      natGatewayIds: this.network.natGatewayIds,
      certificates: [
        { id: 'alb', arn: spec.edge.certificateArn, usedBy: 'the load balancer' },
        ...(spec.cdn ? [{ id: 'cdn', arn: spec.cdn.certificateArn, usedBy: 'the CDN', global: true }] : []),
      ],
      webAcls: [
        { id: 'alb', name: regionalWebAcl.webAclName, scope: 'REGIONAL' as const },
        ...(this.cdn ? [{ id: 'cdn', name: this.cdn.webAclName, scope: 'CLOUDFRONT' as const }] : []),
      ],
      shieldProtections: spec.edge.shieldAdvanced
        ? [
            { id: 'alb', resourceArn: this.webTier.albArn, usedBy: 'the load balancer' },
            ...(this.cdn ? [{ id: 'cdn', resourceArn: this.cdn.distributionArn, usedBy: 'the CDN', global: true }] : []),
          ]
        : [],
      // The public name: through CloudFront when there is one, so the check sees what learners see.
      deepHealthCheck: { domain: spec.domain, path: this.profile.health.deepPath },
      autoScalingGroupNames: {
        web: this.webTier.autoScalingGroupName,
        worker: this.worker.autoScalingGroupName,
        'db-provisioner': this.databaseProvisioner.autoScalingGroupName,
      },
      usEast1:
        spec.region === 'us-east-1'
          ? undefined
          : this.usEast1Placement(spec, accountId, this.usEast1Provider(offline, defaultTags, assumeRole)),
    });
    // Inspector is switched on per account: only a tenant alone in its account may own the setting.
    if (spec.account.dedicated) new InstanceScanning(this, 'instance-scanning', { accountId });

    const drVault =
      spec.disasterRecovery && this.disasterRecoveryVault(spec, spec.disasterRecovery, { accountId, offline, defaultTags, assumeRole });
    new TenantBackup(this, 'backup', {
      name,
      kmsKeyArn,
      retentionDays: spec.backup.retentionDays,
      scheduleExpression: windows.backup.scheduleExpression,
      scheduleTimeZone: windows.backup.timeZone,
      resourceArns: [this.database.arn, this.fileSystem.fileSystemArn, this.contentBucket.bucketArn],
      includesBuckets: true,
      copyTo: drVault && { vaultArn: drVault.vaultArn, retentionDays: drVault.copyRetentionDays },
    });

    new TerraformOutput(this, 'vpc_id', { value: vpcId });
    new TerraformOutput(this, 'alb_dns_name', { value: this.webTier.albDnsName });
    new TerraformOutput(this, 'web_asg_name', { value: this.webTier.autoScalingGroupName });
    new TerraformOutput(this, 'database_endpoint', { value: this.database.endpoint });
    new TerraformOutput(this, 'runtime_parameter_path', { value: this.runtimeConfiguration.path });
    new TerraformOutput(this, 'database_provisioner_asg', { value: this.databaseProvisioner.autoScalingGroupName });
    new TerraformOutput(this, 'content_bucket', { value: this.contentBucket.bucketName });
    if (this.cdn) new TerraformOutput(this, 'cdn_domain_name', { value: this.cdn.domainName });
  }

  /**
   * The runtime configuration: every `RUNTIME_PARAMETERS` value, from the resources that hold it.
   * A catalogue key without a value here fails synthesis, so the contract cannot drift.
   */
  private publishedValues(spec: TenantSpec): PublishedValue[] {
    const [sessions, application] = this.caches;
    const values: Record<RuntimeParameterKey, string | undefined> = {
      'site/url': `https://${spec.domain}`,
      'site/domain': spec.domain,
      'app/profile': spec.app.profile,
      'app/release': spec.app.release ?? spec.app.amiId,
      'app/time-zone': spec.timeZone,
      'db/engine': spec.database.engine,
      'db/writer-endpoint': this.database.endpoint,
      'db/reader-endpoint': this.database.readerEndpoint,
      'db/port': String(this.database.port),
      'db/name': this.database.databaseName,
      'db/app-secret-arn': this.database.appCredentials.secretArn,
      'cache/sessions-endpoint': sessions!.primaryEndpoint,
      'cache/application-endpoint': (application ?? sessions)!.primaryEndpoint,
      'cache/port': String(sessions!.port),
      'cache/auth-secret-arn': this.cacheCredentials.secretArn,
      'files/file-system-id': this.fileSystem.fileSystemId,
      'files/access-point-id': this.fileSystem.accessPointId,
      'content/bucket': this.contentBucket.bucketName,
      'content/cdn-domain': this.cdn?.domainName,
      'mail/smtp-host': this.mail.smtpHost,
      'mail/smtp-port': String(this.mail.smtpPort),
      'mail/from-address': this.mail.fromAddress,
      'mail/smtp-secret-arn': this.mail.credentialsSecretArn,
    };
    return RUNTIME_PARAMETERS.flatMap(({ key, secure, description, ...rest }): PublishedValue[] => {
      const value = values[key];
      if (value === undefined) {
        if ('optional' in rest && rest.optional) return [];
        throw new Error(`TenantStack ${spec.name}: runtime parameter ${key} has no value`);
      }
      return [{ key, value, secure, description }];
    }).concat({
      // The provisioner's only input beyond db/*: an ARN (no secret), readable only with the provisioner's role.
      key: DATABASE_PROVISIONER_PARAMETERS.masterSecretArn,
      value: this.database.masterUserSecretArn,
      secure: true,
      description: 'Master user secret ARN, for the database provisioner only (the instances cannot read the secret)',
    });
  }

  /** What the application on the instances may touch: its own data and configuration, with the tenant key. */
  private instanceAccess(kmsKeyArn: string): InstancePolicyStatement[] {
    const bucketArn = this.contentBucket.bucketArn;
    return [
      ...this.runtimeConfiguration.readStatements(),
      { actions: ['s3:ListBucket'], resources: [bucketArn] },
      { actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [`${bucketArn}/*`] },
      { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [kmsKeyArn] },
      // The application's own credentials: never the master user's.
      {
        actions: ['secretsmanager:GetSecretValue'],
        resources: [
          this.database.appCredentials.secretArn,
          this.cacheCredentials.secretArn,
          ...(this.mail.credentialsSecretArn ? [this.mail.credentialsSecretArn] : []),
        ],
      },
      {
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        resources: [this.fileSystem.fileSystemArn],
        conditions: { StringEquals: { 'elasticfilesystem:AccessPointArn': this.fileSystem.accessPointArn } },
      },
    ];
  }

  /** The provisioning job: the master secret (read), the application secret (write), its own group. */
  private provisionerAccess(kmsKeyArn: string): InstancePolicyStatement[] {
    return [
      ...this.runtimeConfiguration.readStatements(),
      { actions: ['secretsmanager:GetSecretValue'], resources: [this.database.masterUserSecretArn] },
      { actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], resources: [this.database.appCredentials.secretArn] },
      { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [kmsKeyArn] },
      { actions: ['autoscaling:SetDesiredCapacity'], resources: [this.databaseProvisioner.autoScalingGroupArn] },
    ];
  }

  /** CloudFront in front of the ALB and the content bucket; its web ACL must live in us-east-1. */
  private contentDelivery(
    spec: TenantSpec,
    cdn: NonNullable<TenantSpec['cdn']>,
    deps: {
      logs: LogBucket;
      originVerify: OriginVerifySecret;
      offline: object;
      defaultTags: object[];
      assumeRole: AwsProviderAssumeRole[] | undefined;
      accountId: string;
    },
  ): ContentDelivery {
    const usEast1 = this.usEast1Provider(deps.offline, deps.defaultTags, deps.assumeRole);
    const maintenance = new MaintenancePage(this, 'maintenance', {
      name: spec.name,
      displayName: spec.displayName,
      accountId: deps.accountId,
      kmsKeyArn: this.key.keyArn,
      logBucket: { name: deps.logs.bucketName },
    });
    const distribution = new ContentDelivery(this, 'cdn', {
      name: spec.name,
      albDnsName: this.webTier.albDnsName,
      originVerifyHeaderName: deps.originVerify.headerName,
      originVerifySecret: deps.originVerify.value,
      contentBucket: this.contentBucket,
      maintenanceBucket: maintenance,
      aliases: [spec.domain],
      certificateArn: cdn.certificateArn,
      priceClass: cdn.priceClass,
      logBucket: { bucketArn: deps.logs.bucketArn },
      webAclProvider: usEast1,
      webAclLogKmsKeyArn: this.usEast1KeyArn(spec, deps.accountId, usEast1),
      rateLimitPerFiveMinutes: spec.edge.rateLimitPerFiveMinutes,
      countModePaths: exemptPaths(wafExemptions(spec).countModePaths),
      signedContent: cdn.signedContent,
      shieldAdvanced: spec.edge.shieldAdvanced,
      originReadTimeoutSeconds: cdn.originReadTimeoutSeconds ?? this.profile.timeouts.originReadSeconds,
      originKeepaliveTimeoutSeconds: this.profile.timeouts.originKeepAliveSeconds,
    });
    this.contentBucket.grantCloudFrontRead(distribution.distributionArn);
    maintenance.grantCloudFrontRead(distribution.distributionArn);
    return distribution;
  }

  /**
   * The us-east-1 provider (CloudFront's web ACL, the alarms on us-east-1 metrics), created once.
   * Same account as the main provider: without the deployer role, resources there would land in the caller's account.
   */
  private usEast1Provider(offline: object, defaultTags: object[], assumeRole: AwsProviderAssumeRole[] | undefined): AwsProvider {
    const existing = this.node.tryFindChild('aws-us-east-1');
    if (existing) return existing as AwsProvider;
    return new AwsProvider(this, 'aws-us-east-1', { alias: 'us_east_1', region: 'us-east-1', defaultTags, assumeRole, ...offline });
  }

  /**
   * The tenant's key in us-east-1 (KMS keys are regional), created once: it encrypts the CloudFront
   * web ACL's log group and the us-east-1 alert topic. A tenant in us-east-1 uses its own key.
   */
  private usEast1KeyArn(spec: TenantSpec, accountId: string, provider: AwsProvider): string {
    if (spec.region === 'us-east-1') return this.key.keyArn;
    const existing = this.node.tryFindChild('us-east-1-key') as TenantKey | undefined;
    return (existing ?? new TenantKey(this, 'us-east-1-key', { name: `${spec.name}-us-east-1`, accountId, region: 'us-east-1', provider }))
      .keyArn;
  }

  private usEast1Placement(spec: TenantSpec, accountId: string, provider: AwsProvider): UsEast1Placement {
    return { provider, kmsKeyArn: this.usEast1KeyArn(spec, accountId, provider) };
  }

  /** The vault AWS Backup copies to, in the DR region: a provider there in the same account and role as the main one. */
  private disasterRecoveryVault(
    spec: TenantSpec,
    dr: NonNullable<TenantSpec['disasterRecovery']>,
    deps: { accountId: string; offline: object; defaultTags: object[]; assumeRole: AwsProviderAssumeRole[] | undefined },
  ): DisasterRecoveryVault {
    const provider = new AwsProvider(this, 'aws-dr', {
      alias: 'dr',
      region: dr.region,
      defaultTags: deps.defaultTags,
      assumeRole: deps.assumeRole,
      ...deps.offline,
    });
    return new DisasterRecoveryVault(this, 'disaster-recovery', {
      name: spec.name,
      accountId: deps.accountId,
      provider,
      region: dr.region,
      primaryRegion: spec.region,
      copyRetentionDays: dr.copyRetentionDays,
    });
  }

  /**
   * cdktf resolves the whole stack once before synthesising it, to find references to other stacks
   * (and add the outputs and remote-state data sources they need) and, in cdktn, the features
   * its validations check. A tenant stack alone in an App that skips validation (how synthesis
   * builds it) needs neither, so that pass, a fifth of synth time, is skipped.
   */
  override prepareStack(): void {
    const app = App.of(this);
    if (app.skipValidation && app.node.findAll().filter(TerraformStack.isStack).length === 1) this.ensureBackendExists();
    else super.prepareStack();
  }

  private configureBackend(mode: StackMode, props: TenantStackProps): void {
    if (mode === 'offline') {
      new LocalBackend(this, { path: props.localStatePath ?? 'terraform.tfstate' });
      return;
    }
    const state = props.fleet.stateBackend;
    new S3Backend(this, {
      bucket: state.bucket,
      region: state.region,
      key: `${state.keyPrefix}/${props.spec.name}/terraform.tfstate`,
      encrypt: true,
      // The state bucket usually lives in the fleet's account, not the tenant's: its own role.
      assumeRole: state.roleArn ? { roleArn: state.roleArn, sessionName: `hafleet-state-${props.spec.name}` } : undefined,
    });
    // S3-native state locking (Terraform ≥ 1.10). cdktn's typed `useLockfile` would do the same but
    // also drop the stack's metadata `overrides` entry: a stack change, left for a step of its own.
    this.addOverride('terraform.backend.s3.use_lockfile', true);
  }
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

import {
  MAX_WEB_INSTANCES,
  MIN_RATE_LIMIT_PER_FIVE_MINUTES,
  OFF_PEAK_SHARE,
  PRODUCTION_MIN_INSTANCES,
  RATE_LIMIT_STEP,
  REQUESTS_PER_USER_PER_FIVE_MINUTES,
  SHARED_ADDRESS_SHARE,
  SPIKE_HEADROOM,
  STORAGE_BASE_GIB,
  STORAGE_MIB_PER_ACCOUNT,
  STORAGE_STEP_GIB,
  USERS_PER_VCPU,
  bandFor,
  bandRange,
  instanceVcpus,
  type Environment,
  type NatGatewayMode,
  type SizingBand,
} from './bands.js';

/** What an operator knows when a client signs: the expected peak and everyone who can log in. */
export interface ExpectedLoad {
  /** Learners online at the same time at the expected peak. */
  readonly concurrentUsers: number;
  /** Every account that can log in (≥ concurrentUsers). */
  readonly population: number;
}

export interface SizingInput {
  readonly load: ExpectedLoad;
  /** Default production: at least two web instances. */
  readonly environment?: Environment;
  /** Aurora sizes readers, RDS sizes allocated storage; the other field is reported as unused. */
  readonly aurora: boolean;
}

/** Every value the model sizes, at the spec path where an explicit value overrides it. */
export interface TenantSizing {
  readonly app: { readonly instanceType: string };
  readonly web: { readonly minCapacity: number; readonly desiredCapacity: number; readonly maxCapacity: number };
  readonly worker: { readonly instanceType: string };
  readonly database: {
    readonly instanceClass: string;
    readonly allocatedStorageGiB: number;
    readonly readers: number;
    readonly backupRetentionDays: number;
  };
  readonly cache: { readonly nodeType: string };
  readonly network: { readonly natGateways: NatGatewayMode };
  readonly backup: { readonly retentionDays: number };
  /** Requests one client IP may send per 5 minutes, at the CDN and the load balancer. */
  readonly edge: { readonly rateLimitPerFiveMinutes: number };
}

/** Explicit values from the spec; undefined (or absent) means "the model decides". */
export type SizingOverrides = {
  readonly [K in keyof TenantSizing]?: { readonly [F in keyof TenantSizing[K]]?: TenantSizing[K][F] | undefined };
};

type FieldOf<K extends keyof TenantSizing> = K extends string ? `${K}.${Extract<keyof TenantSizing[K], string>}` : never;
/** A sized field by its spec path, e.g. `web.minCapacity`. */
export type SizedField = { [K in keyof TenantSizing]: FieldOf<K> }[keyof TenantSizing];

export interface SizingDecision {
  readonly field: SizedField;
  /** What the model alone would choose. */
  readonly model: string | number;
  /** The spec's explicit value, when it has one. */
  readonly override: string | number | undefined;
  /** What the stack gets. */
  readonly effective: string | number;
  /** `spec` when the override won; `model` otherwise (possibly kept within the spec's other values). */
  readonly source: 'model' | 'spec';
  /** False for a field this tenant's engine does not use (RDS storage on Aurora, readers on RDS). */
  readonly used: boolean;
  /** Why the model chose its value (and how it was adjusted), for `fleet size`. */
  readonly reason: string;
}

export interface SizingReport {
  readonly band: SizingBand;
  readonly load: ExpectedLoad;
  readonly environment: Environment;
  /** The model's choices with the spec's overrides applied: what the stack is built from. */
  readonly effective: TenantSizing;
  /** The model alone. */
  readonly model: TenantSizing;
  /** One per sized field, in a fixed order. */
  readonly decisions: readonly SizingDecision[];
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Sizes a tenant from its expected load, then lets the spec's explicit values win. Values the spec
 * leaves to the model stay consistent with its overrides: an unset min or desired is kept within an
 * explicit max, an unset max is raised to an explicit min. Pure; never throws for loads inside the
 * model's range (see bandFor).
 */
export function sizeTenant(input: SizingInput, overrides: SizingOverrides = {}): SizingReport {
  const { load, aurora } = input;
  const environment = input.environment ?? 'production';
  const band = bandFor(load.concurrentUsers);
  const users = count(load.concurrentUsers);
  const inBand = `${band.name} band (${bandRange(band)} concurrent users)`;
  const reasons = new Map<SizedField, string>();
  const say = (field: SizedField, reason: string) => reasons.set(field, reason);

  // Web tier: enough instances for the expected peak at the CPU target, half that off-peak, 3× for spikes.
  const instanceType = overrides.app?.instanceType ?? band.webInstanceType;
  const vcpus = instanceVcpus(instanceType) ?? instanceVcpus(band.webInstanceType)!;
  const perInstance = vcpus * USERS_PER_VCPU;
  const needed = Math.ceil(load.concurrentUsers / perInstance);
  const floor = environment === 'production' ? PRODUCTION_MIN_INSTANCES : 1;
  const webModel = {
    minCapacity: Math.min(MAX_WEB_INSTANCES, Math.max(floor, Math.ceil(needed * OFF_PEAK_SHARE))),
    desiredCapacity: Math.min(MAX_WEB_INSTANCES, Math.max(floor, needed)),
    maxCapacity: Math.min(MAX_WEB_INSTANCES, Math.ceil(Math.max(floor, needed) * SPIKE_HEADROOM)),
  };
  const serve = `${users} users need ${needed} × ${instanceType} (${vcpus} vCPU × ${USERS_PER_VCPU} users at the 50 % CPU target)`;
  say('app.instanceType', inBand);
  say('web.desiredCapacity', `${serve}${needed < floor ? `; at least ${floor} in ${environment}` : ''}`);
  say('web.minCapacity', `off-peak floor: ${OFF_PEAK_SHARE * 100} % of the ${needed} needed, at least ${floor} in ${environment}`);
  say(
    'web.maxCapacity',
    `${SPIKE_HEADROOM}× desired: headroom for the end-of-term pile-on${webModel.maxCapacity === MAX_WEB_INSTANCES ? ` (capped at ${MAX_WEB_INSTANCES})` : ''}`,
  );

  const storage = Math.ceil((STORAGE_BASE_GIB + (load.population * STORAGE_MIB_PER_ACCOUNT) / 1024) / STORAGE_STEP_GIB) * STORAGE_STEP_GIB;
  const model: TenantSizing = {
    app: { instanceType: band.webInstanceType },
    web: webModel,
    worker: { instanceType: band.workerInstanceType },
    database: {
      instanceClass: band.databaseInstanceClass,
      allocatedStorageGiB: storage,
      readers: band.auroraReaders,
      backupRetentionDays: band.databaseBackupDays,
    },
    cache: { nodeType: band.cacheNodeType },
    network: { natGateways: band.natGateways },
    backup: { retentionDays: band.backupRetentionDays },
    edge: { rateLimitPerFiveMinutes: rateLimitFor(load.concurrentUsers) },
  };
  say('worker.instanceType', inBand);
  say('database.instanceClass', inBand);
  say(
    'database.allocatedStorageGiB',
    aurora
      ? 'not used: Aurora storage grows by itself'
      : `${STORAGE_BASE_GIB} GiB + ${STORAGE_MIB_PER_ACCOUNT} MiB × ${count(load.population)} accounts, ` +
          `rounded up to ${STORAGE_STEP_GIB} GiB (autoscales to 4×)`,
  );
  say(
    'database.readers',
    aurora ? `${inBand}: readers in other zones take over from the writer` : 'not used: RDS Multi-AZ keeps its own standby',
  );
  say('database.backupRetentionDays', `${inBand}: point-in-time recovery window`);
  say('cache.nodeType', inBand);
  say(
    'network.natGateways',
    band.natGateways === 'single'
      ? `${inBand}: one shared NAT gateway below ${count(band.maxConcurrentUsers + 1)} users`
      : `${inBand}: one NAT gateway per zone survives the loss of a zone`,
  );
  say('backup.retentionDays', `${inBand}: AWS Backup recovery points`);
  say(
    'edge.rateLimitPerFiveMinutes',
    `${SHARED_ADDRESS_SHARE * 100} % of ${users} users behind one NAT address × ` +
      `${REQUESTS_PER_USER_PER_FIVE_MINUTES} requests per 5 minutes, ` +
      `at least ${count(MIN_RATE_LIMIT_PER_FIVE_MINUTES)}`,
  );

  // Explicit values win; the model's remaining web values stay within them.
  const ov = overrides;
  const minCapacity =
    ov.web?.minCapacity ?? (ov.web?.maxCapacity !== undefined ? Math.min(webModel.minCapacity, ov.web.maxCapacity) : webModel.minCapacity);
  const maxCapacity = ov.web?.maxCapacity ?? Math.max(webModel.maxCapacity, minCapacity);
  const desiredCapacity = ov.web?.desiredCapacity ?? Math.min(Math.max(webModel.desiredCapacity, minCapacity), maxCapacity);
  const effective: TenantSizing = {
    app: { instanceType },
    web: { minCapacity, desiredCapacity, maxCapacity },
    worker: { instanceType: ov.worker?.instanceType ?? model.worker.instanceType },
    database: {
      instanceClass: ov.database?.instanceClass ?? model.database.instanceClass,
      allocatedStorageGiB: ov.database?.allocatedStorageGiB ?? model.database.allocatedStorageGiB,
      readers: ov.database?.readers ?? model.database.readers,
      backupRetentionDays: ov.database?.backupRetentionDays ?? model.database.backupRetentionDays,
    },
    cache: { nodeType: ov.cache?.nodeType ?? model.cache.nodeType },
    network: { natGateways: ov.network?.natGateways ?? model.network.natGateways },
    backup: { retentionDays: ov.backup?.retentionDays ?? model.backup.retentionDays },
    edge: { rateLimitPerFiveMinutes: ov.edge?.rateLimitPerFiveMinutes ?? model.edge.rateLimitPerFiveMinutes },
  };

  const decisions = sizedFields(model).map(([group, key]): SizingDecision => {
    const field = `${group}.${key}` as SizedField;
    const modelValue = (model[group] as Record<string, string | number>)[key]!;
    const override = (ov[group] as Record<string, string | number | undefined> | undefined)?.[key];
    const value = (effective[group] as Record<string, string | number>)[key]!;
    const used = !(field === 'database.allocatedStorageGiB' && aurora) && !(field === 'database.readers' && !aurora);
    let reason = reasons.get(field)!;
    if (override === undefined && value !== modelValue) reason += `; kept within the spec's web values (${value})`;
    if (override !== undefined) reason = `set in the spec (model: ${modelValue}, ${reason})`;
    return { field, model: modelValue, override, effective: value, source: override === undefined ? 'model' : 'spec', used, reason };
  });
  return { band, load, environment, effective, model, decisions };
}

/** The per-IP limit a tenant's learners need when a share of them shares one address, rounded up. */
export function rateLimitFor(concurrentUsers: number): number {
  const shared = Math.ceil(concurrentUsers * SHARED_ADDRESS_SHARE) * REQUESTS_PER_USER_PER_FIVE_MINUTES;
  return Math.max(MIN_RATE_LIMIT_PER_FIVE_MINUTES, Math.ceil(shared / RATE_LIMIT_STEP) * RATE_LIMIT_STEP);
}

/** [group, key] of every sized field, in the order of TenantSizing. */
function sizedFields(sizing: TenantSizing): Array<[keyof TenantSizing, string]> {
  return (Object.keys(sizing) as Array<keyof TenantSizing>).flatMap((group) =>
    Object.keys(sizing[group]).map((key): [keyof TenantSizing, string] => [group, key]),
  );
}

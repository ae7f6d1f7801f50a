import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '@hafleet/fs-safe';
import { RolloutInputError } from './errors.js';
import { lockRollout, type JournalLock, type LockHolder } from './journal-lock.js';

/**
 * The rollout journal: one JSON file per rollout, `.hafleet/rollouts/<id>.json`, rewritten
 * atomically after every step of every tenant. It holds what was asked (changes, selection, waves,
 * options) and where each tenant is, so `--resume <id>` continues exactly there. A checksum over
 * the content catches hand edits: a journal that does not verify is refused, nothing is run.
 */

export const JOURNAL_FORMAT = 'hafleet-rollout/1';
export const ROLLOUTS_DIR = join('.hafleet', 'rollouts');

export const TENANT_STATES = ['pending', 'applying', 'healthy', 'failed', 'skipped'] as const;
export type TenantState = (typeof TENANT_STATES)[number];

/** A tenant's steps, in order. */
export const STEPS = ['spec', 'synth', 'plan', 'guard', 'apply', 'gate'] as const;
export type Step = (typeof STEPS)[number];

/**
 * `running` (or crashed while running: see `runner`), `completed` (every tenant healthy),
 * `failed` (every wave visited, some tenant failed within --max-failures), `halted` (stopped at
 * --max-failures), `interrupted` (a signal), `paused` (an operator said no between waves).
 */
export const ROLLOUT_STATUSES = ['running', 'completed', 'failed', 'halted', 'interrupted', 'paused'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

const isoTime = z.iso.datetime();

const gateConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('http'),
    baseUrl: z.string().optional(),
    expectStatus: z.string(),
    retries: z.number().int().min(0),
    intervalMs: z.number().int().min(0),
    timeoutMs: z.number().int().min(1),
  }),
  z.strictObject({ kind: z.literal('aws'), intervalMs: z.number().int().min(0), timeoutMs: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal('command'), command: z.string().min(1), timeoutMs: z.number().int().min(1) }),
]);

const requestSchema = z.strictObject({
  changes: z.array(z.strictObject({ path: z.string().min(1), value: z.unknown() })),
  reapply: z.boolean(),
  selection: z.strictObject({ tenants: z.array(z.string()), tags: z.array(z.string()), where: z.array(z.string()) }),
  waves: z.string(),
  maxParallel: z.number().int().min(1),
  waveDelayMs: z.number().int().min(0),
  maxFailures: z.number().int().min(1),
  allowDestroy: z.array(z.strictObject({ tenant: z.string(), address: z.string() })),
  gates: z.array(gateConfigSchema).min(1),
  /** `--apply-immediately`: database and cache changes of this rollout skip the maintenance window. Absent in older journals. */
  applyImmediately: z.boolean().default(false),
});

const stepRecordSchema = z.strictObject({
  step: z.enum(STEPS),
  startedAt: isoTime,
  endedAt: isoTime.optional(),
  ok: z.boolean().optional(),
  detail: z.string().optional(),
});

const planDigestSchema = z.strictObject({
  add: z.number().int(),
  change: z.number().int(),
  destroy: z.number().int(),
  replace: z.number().int(),
  resourceCount: z.number().int(),
  hasChanges: z.boolean(),
  dataLoss: z.array(z.strictObject({ address: z.string(), action: z.string(), holds: z.string() })),
  deferred: z
    .array(z.strictObject({ address: z.string(), type: z.string(), attributes: z.array(z.string()), window: z.string().optional() }))
    .default([]),
});

const tenantRecordSchema = z.strictObject({
  /** Index into `waves`. */
  wave: z.number().int().min(0),
  state: z.enum(TENANT_STATES),
  /** The step running now, or where the tenant stopped. */
  step: z.enum(STEPS).optional(),
  /** How many runs started this tenant. */
  attempts: z.number().int().min(0),
  startedAt: isoTime.optional(),
  endedAt: isoTime.optional(),
  /** The steps of the latest attempt. */
  steps: z.array(stepRecordSchema),
  specChanged: z.boolean().optional(),
  plan: planDigestSchema.optional(),
  applied: z.enum(['applied', 'unchanged']).optional(),
  gates: z.array(z.strictObject({ gate: z.string(), ok: z.boolean(), detail: z.string() })).optional(),
  error: z.string().optional(),
  /** Why the tenant is where it is when that is not an error: skipped, interrupted. */
  note: z.string().optional(),
});

const journalSchema = z.strictObject({
  format: z.literal(JOURNAL_FORMAT),
  id: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  status: z.enum(ROLLOUT_STATUSES),
  stopReason: z.string().optional(),
  /** The process running the rollout right now, for people (the lock file excludes others); absent when nothing runs it. */
  runner: z.strictObject({ pid: z.number().int(), host: z.string(), since: isoTime }).optional(),
  request: requestSchema,
  waves: z.array(z.strictObject({ label: z.string(), tenants: z.array(z.string()).min(1) })).min(1),
  tenants: z.record(z.string(), tenantRecordSchema),
  runs: z.array(
    z.strictObject({
      pid: z.number().int(),
      startedAt: isoTime,
      endedAt: isoTime.optional(),
      status: z.enum(ROLLOUT_STATUSES).optional(),
      /** Options changed on `--resume`. */
      overrides: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  checksum: z.string(),
});

export type JournalData = z.output<typeof journalSchema>;
export type RolloutRequest = JournalData['request'];
export type TenantRecord = JournalData['tenants'][string];
export type StepRecord = TenantRecord['steps'][number];

const ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

/** `20250612-101500-3fa2`: sortable by start time, unique enough for one workspace. */
export function newRolloutId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export const journalFile = (workspaceRoot: string, id: string): string => join(workspaceRoot, ROLLOUTS_DIR, `${id}.json`);

/** sha256 over the journal without its checksum, as written (key order included). */
export function journalChecksum(data: Omit<JournalData, 'checksum'> & { checksum?: string }): string {
  const { checksum: _ignored, ...content } = data;
  return `sha256:${createHash('sha256').update(JSON.stringify(content)).digest('hex')}`;
}

export class RolloutJournal {
  private lockHandle: JournalLock | undefined;

  private constructor(
    readonly file: string,
    readonly data: JournalData,
    private readonly workspaceRoot: string,
  ) {}

  get id(): string {
    return this.data.id;
  }

  /** The journal path as people should see it. */
  get displayPath(): string {
    return relative(this.workspaceRoot, this.file) || this.file;
  }

  /** Writes a new journal; refuses to overwrite an existing rollout. */
  static create(workspaceRoot: string, data: Omit<JournalData, 'checksum' | 'format' | 'updatedAt'>): RolloutJournal {
    const file = journalFile(workspaceRoot, data.id);
    if (existsSync(file))
      throw new RolloutInputError(`rollout ${data.id} already exists (${file}) — fix: start again, a new id is drawn each time`);
    const journal = new RolloutJournal(file, { format: JOURNAL_FORMAT, ...data, updatedAt: data.createdAt, checksum: '' }, workspaceRoot);
    journal.save();
    return journal;
  }

  /**
   * Loads a journal to run it: takes the rollout's lock first, then reads the journal, so this
   * process continues from the latest state. A bad id or journal is refused before anything is
   * locked. Call `release()` when done.
   */
  static open(workspaceRoot: string, id: string): RolloutJournal {
    const file = RolloutJournal.load(workspaceRoot, id).file;
    const lock = lockRollout(workspaceRoot, id, file);
    try {
      const journal = RolloutJournal.load(workspaceRoot, id);
      journal.lockHandle = lock;
      return journal;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Reads and verifies a journal: JSON, schema, checksum, internal consistency. */
  static load(workspaceRoot: string, id: string): RolloutJournal {
    if (!ID.test(id)) throw new RolloutInputError(`--resume "${id}" is not a rollout id — fix: ${knownIds(workspaceRoot)}`);
    const file = journalFile(workspaceRoot, id);
    const shown = relative(workspaceRoot, file);
    if (!existsSync(file)) throw new RolloutInputError(`rollout ${id}: no journal ${shown} — fix: ${knownIds(workspaceRoot)}`);
    const refuse = (why: string) =>
      new RolloutInputError(
        `rollout ${id}: journal ${shown} ${why} — nothing was applied. Fix: restore the file hafleet wrote ` +
          `(from a backup or CI artifact), or start a new rollout with the same --set: ` +
          `tenants already rolled plan no changes and apply nothing`,
      );
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw refuse(`is not valid JSON (${(error as Error).message}): it is corrupted`);
    }
    const parsed = journalSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw refuse(`does not match the journal format at field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const data = parsed.data;
    if (journalChecksum(raw as JournalData) !== data.checksum) {
      throw refuse('was changed outside hafleet (its checksum does not match its content)');
    }
    if (data.id !== id) throw refuse(`holds rollout ${data.id}, field id`);
    const inWaves = data.waves.flatMap((w) => w.tenants);
    const recorded = Object.keys(data.tenants);
    if (
      inWaves.length !== recorded.length ||
      inWaves.some((t, i) => data.tenants[t]?.wave !== data.waves.findIndex((w) => w.tenants.includes(t)) || inWaves.indexOf(t) !== i)
    ) {
      throw refuse('lists different tenants in its waves and its tenant records');
    }
    return new RolloutJournal(file, data, workspaceRoot);
  }

  /** Every step ends here: the whole journal, checksummed, written atomically. */
  save(): void {
    this.data.updatedAt = new Date().toISOString();
    this.data.checksum = '';
    this.data.checksum = journalChecksum(this.data);
    writeJsonAtomic(this.file, this.data);
  }

  tenant(name: string): TenantRecord {
    const record = this.data.tenants[name];
    if (!record) throw new Error(`rollout ${this.id} has no tenant ${name}`);
    return record;
  }

  /** Records this process as the one running the rollout, for people reading the journal (the lock is what excludes others). */
  claim(): void {
    this.data.runner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  }

  /** Whether this process holds the rollout's lock (`open` or `lock`). */
  get locked(): boolean {
    return this.lockHandle !== undefined;
  }

  /** The holder of a stale lock that taking the lock removed (its process was gone). */
  get recoveredLock(): LockHolder | undefined {
    return this.lockHandle?.recovered;
  }

  /** Takes the rollout's lock (see journal-lock.ts); throws naming the holder when another process has it. */
  lock(): void {
    this.lockHandle ??= lockRollout(this.workspaceRoot, this.id, this.file);
  }

  release(): void {
    this.lockHandle?.release();
    this.lockHandle = undefined;
  }

  /** Refuses to go on from a journal that changed on disk since this process read it (another process ran it meanwhile). */
  assertCurrent(): void {
    let checksum: unknown;
    try {
      checksum = (JSON.parse(readFileSync(this.file, 'utf8')) as { checksum?: unknown }).checksum;
    } catch {
      checksum = undefined;
    }
    if (checksum !== this.data.checksum) {
      throw new RolloutInputError(
        `rollout ${this.id}: journal ${this.displayPath} changed since this process read it ` +
          `(another process ran the rollout meanwhile) — nothing was changed. Fix: resume again`,
      );
    }
  }
}

function knownIds(workspaceRoot: string): string {
  const dir = join(workspaceRoot, ROLLOUTS_DIR);
  const ids = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
        .filter((id) => ID.test(id))
        .sort()
    : [];
  return ids.length ? `one of ${ids.slice(-5).join(', ')}` : `no rollout has been started in ${ROLLOUTS_DIR}`;
}

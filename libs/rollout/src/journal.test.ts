import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findWorkspaceRoot } from '@hafleet/entry-point';
import { rolloutLockFile } from './journal-lock.js';
import { RolloutJournal, journalChecksum, journalFile, newRolloutId, type JournalData } from './journal.js';

const CONTENDER = fileURLToPath(new URL('./testing/lock-contender.ts', import.meta.url));
const WORKSPACE = findWorkspaceRoot(import.meta.url);

function journalOf(root: string): RolloutJournal {
  return RolloutJournal.create(root, {
    id: newRolloutId(new Date('2025-06-12T10:15:00Z')),
    createdAt: '2025-06-12T10:15:00.000Z',
    status: 'running',
    request: {
      changes: [{ path: 'app.release', value: '2025.4.0' }],
      reapply: false,
      selection: { tenants: [], tags: [], where: [] },
      waves: 'canary,100%',
      maxParallel: 2,
      waveDelayMs: 0,
      maxFailures: 1,
      allowDestroy: [],
      gates: [{ kind: 'http', expectStatus: '200', retries: 5, intervalMs: 5000, timeoutMs: 10000 }],
      applyImmediately: false,
    },
    waves: [
      { label: 'canary', tenants: ['a'] },
      { label: '100%', tenants: ['b', 'c'] },
    ],
    tenants: {
      a: { wave: 0, state: 'pending', attempts: 0, steps: [] },
      b: { wave: 1, state: 'pending', attempts: 0, steps: [] },
      c: { wave: 1, state: 'pending', attempts: 0, steps: [] },
    },
    runs: [],
  });
}

describe('rollout journal', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hafleet-journal-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names rollouts by start time and reads back exactly what it wrote', () => {
    const journal = journalOf(root);
    expect(journal.id).toMatch(/^20250612-101500-[0-9a-f]{4}$/);
    expect(journal.displayPath).toBe(`.hafleet/rollouts/${journal.id}.json`);
    journal.tenant('a').state = 'healthy';
    journal.save();
    expect(RolloutJournal.load(root, journal.id).data).toEqual(journal.data);
  });

  it('accepts a journal reformatted without changing its content', () => {
    const journal = journalOf(root);
    const file = journalFile(root, journal.id);
    writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), null, 4));
    expect(RolloutJournal.load(root, journal.id).data.tenants['a']!.state).toBe('pending');
  });

  it('refuses a hand edit, even one that keeps the format valid', () => {
    const journal = journalOf(root);
    const file = journalFile(root, journal.id);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"maxFailures": 1', '"maxFailures": 5'));
    expect(() => RolloutJournal.load(root, journal.id)).toThrow(
      /journal \.hafleet\/rollouts\/\S+ was changed outside hafleet \(its checksum does not match its content\) — nothing was applied/,
    );
  });

  it('keeps --apply-immediately and what waits for the maintenance window; a journal from before them loads with neither', () => {
    const journal = journalOf(root);
    journal.data.request.applyImmediately = true;
    journal.tenant('a').plan = {
      add: 0,
      change: 1,
      destroy: 0,
      replace: 0,
      resourceCount: 9,
      hasChanges: true,
      dataLoss: [],
      deferred: [
        { address: 'aws_db_instance.main', type: 'aws_db_instance', attributes: ['instance_class'], window: 'sun:16:00-sun:16:30' },
      ],
    };
    journal.save();
    const loaded = RolloutJournal.load(root, journal.id).data;
    expect(loaded.request.applyImmediately).toBe(true);
    expect(loaded.tenants['a']!.plan!.deferred).toEqual([
      { address: 'aws_db_instance.main', type: 'aws_db_instance', attributes: ['instance_class'], window: 'sun:16:00-sun:16:30' },
    ]);

    // Written by the hafleet before this change: neither field, its own checksum.
    const old = JSON.parse(readFileSync(journalFile(root, journal.id), 'utf8')) as JournalData;
    delete (old.request as Partial<JournalData['request']>).applyImmediately;
    delete (old.tenants['a']!.plan as Partial<NonNullable<JournalData['tenants'][string]['plan']>>).deferred;
    old.checksum = journalChecksum(old);
    writeFileSync(journalFile(root, journal.id), JSON.stringify(old));
    const upgraded = RolloutJournal.load(root, journal.id).data;
    expect(upgraded.request.applyImmediately).toBe(false);
    expect(upgraded.tenants['a']!.plan!.deferred).toEqual([]);

    writeFileSync(journalFile(root, journal.id), JSON.stringify({ ...old, request: { ...old.request, applyImmediately: 'yes' } }));
    expect(() => RolloutJournal.load(root, journal.id)).toThrow(/does not match the journal format at field request\.applyImmediately/);
  });

  it('refuses records that do not match the waves, even with a recomputed checksum', () => {
    const journal = journalOf(root);
    const data = JSON.parse(readFileSync(journalFile(root, journal.id), 'utf8')) as JournalData;
    delete data.tenants['c'];
    data.checksum = journalChecksum(data);
    writeFileSync(journalFile(root, journal.id), JSON.stringify(data));
    expect(() => RolloutJournal.load(root, journal.id)).toThrow(/lists different tenants in its waves and its tenant records/);
  });

  it('refuses an id that is not a rollout id, and lists the rollouts there are', () => {
    const journal = journalOf(root);
    expect(() => RolloutJournal.load(root, '../../etc/passwd')).toThrow(new RegExp(`is not a rollout id — fix: one of ${journal.id}`));
  });

  it("refuses a rollout another live process holds the lock of, naming the journal and the holder; a dead holder's lock is recovered", async () => {
    const journal = journalOf(root);
    const lockFile = rolloutLockFile(root, journal.id);
    mkdirSync(dirname(lockFile), { recursive: true });
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(lockFile, JSON.stringify({ pid: other.pid!, host: hostname(), since: '2025-06-12T10:15:00.000Z' }));
      expect(() => RolloutJournal.open(root, journal.id)).toThrow(
        new RegExp(
          `rollout ${journal.id} \\(journal \\.hafleet/rollouts/${journal.id}\\.json\\) ` +
            `is being run by process ${other.pid} on ${hostname()} since 2025-06-12T10:15:00\\.000Z — ` +
            `nothing was changed\\. Fix: wait for it to finish, or stop it with kill -INT ${other.pid} and resume`,
        ),
      );
    } finally {
      other.kill();
      await new Promise((r) => other.on('close', r));
    }
    // The holder is gone: its lock is stale, taken over, and released with the journal.
    const opened = RolloutJournal.open(root, journal.id);
    expect(opened.recoveredLock?.pid).toBe(other.pid);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    opened.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('counts a lock held on another host as held (its process cannot be checked from here)', () => {
    const journal = journalOf(root);
    const lockFile = rolloutLockFile(root, journal.id);
    mkdirSync(dirname(lockFile), { recursive: true });
    writeFileSync(lockFile, JSON.stringify({ pid: 1, host: 'ci-runner-7', since: '2025-06-12T10:15:00.000Z' }));
    expect(() => RolloutJournal.open(root, journal.id)).toThrow(
      /is being run by process 1 on ci-runner-7 .* Fix: if no process runs it any more, delete \.hafleet\/locks\/rollouts\/\S+\.lock and resume/,
    );
  });

  it('refuses to run a journal that changed on disk since it was read (another process ran it meanwhile)', () => {
    const journal = journalOf(root);
    const stale = RolloutJournal.load(root, journal.id);
    journal.tenant('a').state = 'healthy';
    journal.save();
    expect(() => stale.assertCurrent()).toThrow(/journal \.hafleet\/rollouts\/\S+ changed since this process read it .* Fix: resume again/);
    expect(() => RolloutJournal.load(root, journal.id).assertCurrent()).not.toThrow();
  });

  /** Eight real processes, each released at the same instant to open the journal; their answers. */
  async function contend(id: string): Promise<Array<{ pid: number; ok: boolean; recovered?: number; message?: string }>> {
    // The winner holds the lock until every contender has answered (at most 60 s), however slowly each starts.
    const children = Array.from({ length: 8 }, () =>
      spawn(process.execPath, ['--import', 'tsx', CONTENDER, root, id, '60000'], { cwd: WORKSPACE, stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    const outputs = children.map((child) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
      child.stdin!.on('error', () => undefined); // a loser has exited before the release line
      return {
        ready: () => out.startsWith('ready\n'),
        answered: () => out.split('\n').length > 2,
        closed: new Promise<string>((resolve) => child.on('close', () => resolve(out))),
      };
    });
    while (!outputs.every((o) => o.ready())) await new Promise((r) => setTimeout(r, 20));
    for (const child of children) child.stdin!.write('go\n'); // all at once: the lock, not the start-up time, decides
    while (!outputs.every((o) => o.answered())) await new Promise((r) => setTimeout(r, 20));
    for (const child of children) if (child.exitCode === null) child.stdin!.write('release\n');
    return Promise.all(outputs.map(async (o) => JSON.parse((await o.closed).split('\n')[1]!)));
  }

  // Real processes against one journal: the lock is atomic, not "check, then claim".
  it.each([
    ['a free journal', false],
    ['a journal whose lock a dead process left', true],
  ])('of eight processes opening %s at the same moment, exactly one gets it; the others are told who has it', async (_what, staleFirst) => {
    const journal = journalOf(root);
    const lockFile = rolloutLockFile(root, journal.id);
    const dead = spawnSync('true').pid;
    if (staleFirst) {
      mkdirSync(dirname(lockFile), { recursive: true });
      writeFileSync(lockFile, JSON.stringify({ pid: dead, host: hostname(), since: '2025-06-12T10:15:00.000Z' }));
    }
    const results = await contend(journal.id);
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.recovered).toBe(staleFirst ? dead : undefined);
    for (const loser of results.filter((r) => !r.ok)) {
      expect(loser.message).toMatch(
        new RegExp(
          `rollout ${journal.id} \\(journal \\.hafleet/rollouts/${journal.id}\\.json\\) is being run by process ${winners[0]!.pid} `,
        ),
      );
    }
    expect(existsSync(lockFile)).toBe(false); // released by the winner
  });
});

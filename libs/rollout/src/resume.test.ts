import { describe, expect, it } from 'vitest';
import { EXIT } from '@hafleet/entry-point';
import type { JournalData, RolloutJournal, TenantRecord } from './journal.js';
import { applyResumeOptions, checkAllowances, dryRunExitCode, rolloutExitCode, type RuntimeOptions } from './resume.js';

const record = (state: TenantRecord['state'], step?: TenantRecord['step']): TenantRecord => ({
  wave: 0,
  state,
  attempts: 1,
  steps: [],
  ...(step ? { step } : {}),
});
const withTenants = (status: JournalData['status'], tenants: Record<string, TenantRecord>) =>
  ({ status, tenants }) as unknown as JournalData;

describe('resume rules', () => {
  /** Only what the rules read: the id, the request and the tenants. */
  const journal = () =>
    ({
      id: '20250612-101500-3fa2',
      data: {
        request: { changes: [{ path: 'app.release', value: '2025.4.0' }], maxParallel: 1, allowDestroy: [] },
        tenants: { a: record('healthy'), b: record('failed', 'gate') },
      },
    }) as unknown as RolloutJournal;

  it('a resume changes how the rollout runs, never what it rolls', () => {
    const j = journal();
    applyResumeOptions(j, { maxParallel: 4, allowDestroy: [{ tenant: 'b', address: 'aws_db_instance.x' }] });
    expect(j.data.request).toMatchObject({
      maxParallel: 4,
      allowDestroy: [{ tenant: 'b', address: 'aws_db_instance.x' }],
      changes: [{ path: 'app.release', value: '2025.4.0' }],
    });
    expect(() => applyResumeOptions(j, { changes: [] } as RuntimeOptions)).toThrow(
      /a resume cannot change changes — fix: start a new rollout/,
    );
    expect(() => applyResumeOptions(j, { allowDestroy: [{ tenant: 'c', address: 'x' }] })).toThrow(
      /--allow-destroy c:x names tenant c, which this rollout does not include — fix: one of a, b/,
    );
    expect(() => checkAllowances([{ tenant: 'a', address: 'x' }], ['a'])).not.toThrow();
  });

  it.each([
    ['completed', { a: record('healthy') }, EXIT.ok],
    ['paused', { a: record('healthy'), b: record('pending') }, EXIT.ok],
    ['halted', { a: record('failed', 'guard'), b: record('skipped') }, EXIT.refused],
    ['halted', { a: record('failed', 'guard'), b: record('failed', 'apply') }, EXIT.failed],
    ['interrupted', { a: record('applying', 'apply') }, EXIT.failed],
  ] as const)('a %s rollout with %j exits %i', (status, tenants, code) => {
    expect(rolloutExitCode(withTenants(status, tenants))).toBe(code);
  });

  it('a dry run exits failed when a tenant could not be planned, refused when the guard would refuse one', () => {
    const ok = { tenant: 'a', wave: 0, guard: { ok: true } } as never;
    const refused = { tenant: 'b', wave: 0, guard: { ok: false } } as never;
    const error = { tenant: 'c', wave: 0, error: 'terraform failed' } as never;
    expect([dryRunExitCode([ok]), dryRunExitCode([ok, refused]), dryRunExitCode([refused, error])]).toEqual([
      EXIT.ok,
      EXIT.refused,
      EXIT.failed,
    ]);
  });
});

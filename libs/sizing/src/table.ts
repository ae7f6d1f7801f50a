import type { SizingReport } from './size.js';

/** Column headers of `sizingRows`. */
export const SIZING_TABLE_HEADERS = ['field', 'model', 'spec', 'effective', 'why'] as const;

/**
 * One row per sized field for a table (`fleet size <tenant>`): the model's choice, the spec's
 * override (— when none), what the stack gets and why. Fields the engine does not use say so.
 */
export function sizingRows(report: SizingReport): string[][] {
  return report.decisions.map((d) => [
    d.field,
    String(d.model),
    d.override === undefined ? '—' : String(d.override),
    d.used ? String(d.effective) : '(unused)',
    d.reason,
  ]);
}

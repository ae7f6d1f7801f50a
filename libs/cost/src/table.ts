import type { CostEstimate } from './estimate.js';

/** Money for people: `$1,234.56`. */
export const usd = (value: number): string => `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const quantity = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

export const COST_TABLE_HEADERS = ['component', 'item', 'quantity', 'unit', 'unit price', 'monthly', 'basis'];

/** One row per priced item, as `fleet cost <tenant>` prints it (numbers as text, aligned by the caller). */
export function costRows(estimate: CostEstimate): string[][] {
  return estimate.lines.map((line) => [
    line.component,
    line.item,
    quantity(line.quantity),
    line.unit,
    `$${line.unitPrice}`,
    usd(line.monthly),
    line.basis === 'assumption' ? `assumed: ${line.how}` : line.how,
  ]);
}

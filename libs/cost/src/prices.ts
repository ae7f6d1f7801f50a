import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '@hafleet/fs-safe';

/**
 * The price file (`prices.json` beside `fleet.json`): on-demand prices per region, keyed by what
 * the estimate asks for (`ec2:m7i.large`, `nat:hour`, ...). Written by `fleet cost
 * --refresh-prices` from the AWS Price List API; the committed one is an example and says so.
 * Every estimate is computed from this file, so an estimate is reproducible offline.
 */

export const PRICE_FILE = 'prices.json';
export const REFRESH_COMMAND = 'npm run fleet -- cost --refresh-prices';

const priceFileSchema = z.strictObject({
  /** True for the committed, hand-made example: every figure made from it says so. */
  example: z.boolean(),
  notice: z.string().optional(),
  /** `example`, or `aws-price-list` when fetched. */
  source: z.string().min(1),
  /** ISO date (or time) the prices were made or fetched. */
  madeAt: z.string().min(10),
  currency: z.literal('USD'),
  regions: z.record(z.string(), z.record(z.string(), z.number().nonnegative())),
});

export type PriceFile = z.output<typeof priceFileSchema>;

/** A price file that is missing, unreadable or lacks what an estimate needs; the message names the fix. */
export class PriceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriceError';
  }
}

export const priceFilePath = (workspaceRoot: string): string => join(workspaceRoot, PRICE_FILE);

export function readPriceFile(file: string, workspaceRoot = process.cwd()): PriceFile {
  const shown = relative(workspaceRoot, file) || file;
  if (!existsSync(file)) {
    throw new PriceError(
      `no price file ${shown} — fix: restore the committed example (\`git checkout -- ${shown}\`) ` +
        `or fetch real prices with \`${REFRESH_COMMAND}\` (AWS credentials needed)`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PriceError(
      `price file ${shown} is not valid JSON (${(error as Error).message}) — fix: restore it from git or run \`${REFRESH_COMMAND}\``,
    );
  }
  const parsed = priceFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PriceError(
      `price file ${shown}, field ${issue.path.join('.') || '(root)'}: ${issue.message} — fix: restore it from git or run \`${REFRESH_COMMAND}\``,
    );
  }
  return parsed.data;
}

export function writePriceFile(file: string, prices: PriceFile): void {
  const regions = Object.fromEntries(
    Object.entries(prices.regions)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([region, table]) => [region, Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)))]),
  );
  writeJsonAtomic(file, { ...prices, regions });
}

/** One line saying where the prices come from, printed beside every figure. */
export function priceSourceLine(prices: PriceFile): string {
  return prices.example
    ? `EXAMPLE prices made ${prices.madeAt.slice(0, 10)} (not from AWS; \`${REFRESH_COMMAND}\` fetches real ones)`
    : `AWS Price List API prices fetched ${prices.madeAt.slice(0, 10)} (${prices.currency}, on-demand)`;
}

/** The prices of one region; asking for a key the file lacks is a PriceError naming the fix. */
export class RegionPrices {
  private constructor(
    readonly region: string,
    private readonly table: Readonly<Record<string, number>>,
    private readonly fileName: string,
  ) {}

  static of(prices: PriceFile, region: string, context: { tenant?: string; file?: string } = {}): RegionPrices {
    const fileName = context.file ?? PRICE_FILE;
    const table = prices.regions[region];
    if (!table) {
      const who = context.tenant ? `tenant ${context.tenant}: ` : '';
      throw new PriceError(
        `${who}${fileName} has no prices for region ${region} ` +
          `(it has ${Object.keys(prices.regions).join(', ') || 'none'}) — fix: ` +
          `\`${REFRESH_COMMAND}\` fetches every region of the fleet (AWS credentials needed)`,
      );
    }
    return new RegionPrices(region, table, fileName);
  }

  get(key: string): number {
    const price = this.table[key];
    if (price === undefined) {
      throw new PriceError(
        `${this.fileName} has no price "${key}" in ${this.region} — fix: ` +
          `\`${REFRESH_COMMAND}\` fetches every price the fleet's stacks need (AWS credentials needed)`,
      );
    }
    return price;
  }
}

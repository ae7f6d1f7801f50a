import { createHash } from 'node:crypto';

const HASH_LENGTH = 6;

/**
 * A name for an AWS resource with a short length limit (ALB and target group: 32), built as
 * `<base>-<suffix>`. When that is too long, the base is cut and a hash of the whole base is kept,
 * so that two long tenant names sharing a prefix still get different names in a shared account.
 * The result only holds alphanumerics and single hyphens, and never starts or ends with a hyphen.
 */
export function boundedName(base: string, suffix: string, maxLength = 32): string {
  const cleanBase = sanitize(base);
  const cleanSuffix = sanitize(suffix);
  if (!cleanBase || !cleanSuffix) throw new Error(`cannot build a resource name from "${base}" and "${suffix}"`);
  const full = `${cleanBase}-${cleanSuffix}`;
  if (full.length <= maxLength) return full;

  const hash = createHash('sha256').update(base).digest('hex').slice(0, HASH_LENGTH);
  const room = maxLength - cleanSuffix.length - HASH_LENGTH - 2;
  if (room < 1) throw new Error(`suffix "${suffix}" leaves no room for a name within ${maxLength} characters`);
  const head = cleanBase.slice(0, room).replace(/-+$/, '');
  return `${head}-${hash}-${cleanSuffix}`;
}

function sanitize(value: string): string {
  return value
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}

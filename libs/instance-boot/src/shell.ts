/** Helpers for writing bash from TypeScript: every value baked into a script goes through `shellQuote`. */

/** A bash word that expands to exactly `value`. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A quoted heredoc of `text` (nothing in it is expanded); `delimiter` must not be one of its lines. */
export function quotedHeredoc(text: string, delimiter: string): string {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (body.split('\n').includes(delimiter)) throw new Error(`a line of the text is "${delimiter}", which would end the heredoc early`);
  return `<<'${delimiter}'\n${body}${delimiter}`;
}

export class InstanceBootError extends Error {
  override readonly name = 'InstanceBootError';
}

/**
 * Throws one clear error naming the field and the fix unless `value` matches `pattern`. A Terraform
 * reference (a cdktf token) is refused first: user data is literal text, base64-encoded at synth.
 */
export function requireMatch(field: string, value: string, pattern: RegExp, fix: string): void {
  if (typeof value === 'string' && /\$\{(TfToken\[|[a-z_]+\.)/.test(value)) {
    throw new InstanceBootError(
      `instance-boot: ${field} is a Terraform reference (${value}), which user data cannot hold: ` +
        `it is literal text base64-encoded at synth ` +
        `(Terraform's functions would mangle its quotes and backslashes); ` +
        `publish the value as an SSM parameter under the tenant's path and read it at boot`,
    );
  }
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InstanceBootError(`instance-boot: ${field} "${String(value)}" is not usable in a boot script: ${fix}`);
  }
}

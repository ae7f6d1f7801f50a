/**
 * Reads the argument of a `${jsonencode(...)}` expression, as cdktf writes policy documents that
 * hold references: an HCL object (`{"Effect" = "Allow", "Resource" = [aws_kms_key.k.arn]}`).
 * Bare references come back as `${...}` strings, the way the rest of the stack JSON writes them,
 * so rules read every policy alike. Undefined for anything it does not fully understand.
 */
export function parseJsonencode(expression: string): unknown {
  const match = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression.trim());
  if (!match) return undefined;
  const parser = new Parser(match[1]!);
  try {
    const value = parser.value();
    parser.skipSpace();
    return parser.done() ? value : undefined;
  } catch {
    return undefined;
  }
}

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  skipSpace(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  value(): unknown {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.list();
    if (c === '"') return this.string();
    // A number, a keyword, or a reference such as aws_db_instance.db.master_user_secret[0].secret_arn.
    const bare = /^(?:-?\d+(?:\.\d+)?|[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*)/.exec(this.text.slice(this.at))?.[0];
    if (!bare) throw new Error(`unexpected ${c} at ${this.at}`);
    this.at += bare.length;
    if (bare === 'true' || bare === 'false') return bare === 'true';
    if (bare === 'null') return null;
    if (/^-?\d+(?:\.\d+)?$/.test(bare)) return Number(bare);
    return `\${${bare}}`;
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.at] !== char) throw new Error(`expected ${char} at ${this.at}`);
    this.at++;
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.expect('{');
    this.skipSpace();
    while (this.text[this.at] !== '}') {
      const key = this.value();
      if (typeof key !== 'string') throw new Error('object key');
      this.skipSpace();
      if (this.text[this.at] === '=' || this.text[this.at] === ':') this.at++;
      else throw new Error(`expected = at ${this.at}`);
      result[key] = this.value();
      this.skipSpace();
      if (this.text[this.at] === ',') this.at++;
      this.skipSpace();
    }
    this.at++;
    return result;
  }

  private list(): unknown[] {
    const result: unknown[] = [];
    this.expect('[');
    this.skipSpace();
    while (this.text[this.at] !== ']') {
      result.push(this.value());
      this.skipSpace();
      if (this.text[this.at] === ',') this.at++;
      this.skipSpace();
    }
    this.at++;
    return result;
  }

  /** A JSON-style string; `${...}` inside stays as written. */
  private string(): string {
    const start = this.at;
    this.at++;
    while (this.text[this.at] !== '"') {
      if (this.text[this.at] === '\\') this.at++;
      if (this.at >= this.text.length) throw new Error('unterminated string');
      this.at++;
    }
    this.at++;
    return JSON.parse(this.text.slice(start, this.at)) as string;
  }
}

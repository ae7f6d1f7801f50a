import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveTerraformBinary, TerraformNotFoundError, type Env } from './binary.js';
import type { ProviderSchemas } from './fabricated-state.js';
import type { PlanJson } from './plan-summary.js';

export interface TerraformRunnerOptions {
  workingDir: string;
  /** Binary to spawn; default: TERRAFORM_BINARY from `env`, else `terraform` on PATH (checked once). */
  binary?: string;
  /** Project CLI config (see writeCliConfig); exported as TF_CLI_CONFIG_FILE. */
  cliConfigFile?: string;
  /** Base environment for terraform; default process.env. */
  env?: Env;
  /** Live output, e.g. to stream long applies into CI logs. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

export interface RunResult {
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface PlanResult extends RunResult {
  planFile: string;
  /** From `-detailed-exitcode` (exit 2 = changes present); undefined when not requested. */
  changesPresent: boolean | undefined;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  range?: { filename: string; start: { line: number; column: number } };
}

export interface ValidateResult {
  valid: boolean;
  errorCount: number;
  warningCount: number;
  diagnostics: Diagnostic[];
}

const TAIL_LINES = 40;

export class TerraformCommandError extends Error {
  constructor(
    readonly command: string,
    readonly workingDir: string,
    readonly exitCode: number,
    /** Last lines of terraform's stderr (or stdout when stderr was empty): the real message. */
    readonly outputTail: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(`\`${command}\` failed with exit code ${exitCode} in ${workingDir}:\n${outputTail}`);
    this.name = 'TerraformCommandError';
  }
}

const tail = (text: string) => text.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const where = d.range ? ` (${d.range.filename}:${d.range.start.line}:${d.range.start.column})` : '';
      const detail = d.detail ? `\n  ${d.detail.replace(/\n/g, '\n  ')}` : '';
      return `${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}${where}${detail}`;
    })
    .join('\n');
}

/** Runs terraform in one working directory; every command is non-interactive and uncoloured. */
export class TerraformRunner {
  readonly workingDir: string;
  private binary: Promise<string> | undefined;

  constructor(private readonly options: TerraformRunnerOptions) {
    this.workingDir = resolve(options.workingDir);
    if (options.binary) this.binary = Promise.resolve(options.binary);
  }

  /** The environment terraform sees: explicit, so a stray TF_CLI_CONFIG_FILE cannot leak in. */
  environment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.options.env ?? process.env)) {
      if (value !== undefined) env[key] = value;
    }
    env['TF_IN_AUTOMATION'] = '1';
    env['TF_INPUT'] = '0';
    env['CHECKPOINT_DISABLE'] = '1'; // no version-check call home from CI or air-gapped hosts
    if (this.options.cliConfigFile) {
      env['TF_CLI_CONFIG_FILE'] = resolve(this.options.cliConfigFile);
    } else if (env['TF_CLI_CONFIG_FILE'] && !existsSync(env['TF_CLI_CONFIG_FILE'])) {
      delete env['TF_CLI_CONFIG_FILE']; // a dangling one only makes terraform warn on every command
    }
    return env;
  }

  async init(options: { backend?: boolean } = {}): Promise<RunResult> {
    return this.run(['init', '-input=false', '-no-color', `-backend=${options.backend ?? true}`]);
  }

  /** Parsed `terraform validate -json`; throws TerraformCommandError listing the diagnostics when invalid. */
  async validate(): Promise<ValidateResult> {
    const result = await this.run(['validate', '-json', '-no-color'], { okExitCodes: [0, 1] });
    let raw: { valid: boolean; error_count: number; warning_count: number; diagnostics?: Diagnostic[] };
    try {
      raw = JSON.parse(result.stdout);
    } catch {
      throw this.commandError(result); // exit 1 without JSON: a real failure, not a verdict
    }
    const validation: ValidateResult = {
      valid: raw.valid,
      errorCount: raw.error_count,
      warningCount: raw.warning_count,
      diagnostics: raw.diagnostics ?? [],
    };
    if (!validation.valid) {
      throw new TerraformCommandError(
        result.args.join(' '),
        this.workingDir,
        result.exitCode,
        formatDiagnostics(validation.diagnostics),
        validation.diagnostics,
      );
    }
    return validation;
  }

  /**
   * Writes a binary plan to `out` (relative to workingDir or absolute). `refresh: false` plans
   * against the state as recorded, reading nothing from the cloud (offline stacks).
   */
  async plan(options: { out: string; refreshOnly?: boolean; refresh?: boolean; detailedExitCode?: boolean }): Promise<PlanResult> {
    const args = ['plan', '-input=false', '-no-color', `-out=${options.out}`];
    if (options.refreshOnly) args.push('-refresh-only');
    if (options.refresh === false) args.push('-refresh=false');
    if (options.detailedExitCode) args.push('-detailed-exitcode');
    const result = await this.run(args, { okExitCodes: options.detailedExitCode ? [0, 2] : [0] });
    return {
      ...result,
      planFile: resolve(this.workingDir, options.out),
      changesPresent: options.detailedExitCode ? result.exitCode === 2 : undefined,
    };
  }

  async showJson(planFile: string): Promise<PlanJson> {
    const result = await this.run(['show', '-json', '-no-color', planFile]);
    return JSON.parse(result.stdout) as PlanJson;
  }

  /** `terraform providers schema -json`: the schema of every provider the configuration uses (needs init). */
  async providerSchemas(): Promise<ProviderSchemas> {
    const result = await this.run(['providers', 'schema', '-json', '-no-color']);
    return JSON.parse(result.stdout) as ProviderSchemas;
  }

  /** Applies exactly the saved plan (terraform refuses a stale one), so no approval prompt exists. */
  async apply(planFile: string): Promise<RunResult> {
    return this.run(['apply', '-input=false', '-no-color', planFile]);
  }

  async run(args: string[], options: { okExitCodes?: number[] } = {}): Promise<RunResult> {
    // spawn reports a missing cwd as ENOENT, which would look like a missing binary.
    if (!existsSync(this.workingDir) || !statSync(this.workingDir).isDirectory()) {
      throw new Error(`Terraform working directory does not exist: ${this.workingDir}`);
    }
    const env = this.environment();
    this.binary ??= resolveTerraformBinary(env).then((b) => b.path);
    const binary = await this.binary;
    const started = Date.now();

    const { code, signal, stdout, stderr } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
    }>((done, fail) => {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const child = spawn(binary, args, { cwd: this.workingDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (chunk: Buffer) => {
        out.push(chunk);
        this.options.onOutput?.(chunk.toString(), 'stdout');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        err.push(chunk);
        this.options.onOutput?.(chunk.toString(), 'stderr');
      });
      child.on('error', (error) => fail(new TerraformNotFoundError(binary, error.message)));
      child.on('close', (code, signal) =>
        done({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
      );
    });

    const result: RunResult = {
      args: [binary, ...args],
      exitCode: code ?? -1,
      stdout,
      stderr: signal ? `${stderr}\n(terraform was killed by ${signal})` : stderr,
      durationMs: Date.now() - started,
    };
    if (!(options.okExitCodes ?? [0]).includes(result.exitCode)) throw this.commandError(result);
    return result;
  }

  private commandError(result: RunResult): TerraformCommandError {
    const output = result.stderr.trim() ? result.stderr : result.stdout;
    return new TerraformCommandError(result.args.join(' '), this.workingDir, result.exitCode, tail(output));
  }
}

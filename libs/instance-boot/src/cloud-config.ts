import { stringify } from 'yaml';

/** One entry of cloud-init's `write_files` module. */
export interface CloudConfigFile {
  readonly path: string;
  readonly content: string;
  /** Octal, as a string (cloud-init's schema rejects a number). */
  readonly permissions: string;
  readonly owner?: string;
}

/** The subset of cloud-config hafleet writes: files, then commands run once on first boot. */
export interface CloudConfig {
  readonly comment: string;
  readonly writeFiles: readonly CloudConfigFile[];
  readonly runcmd: readonly (readonly string[])[];
}

/**
 * A `#cloud-config` document. Multi-line file contents become literal block scalars, so a person
 * reading the user data (or `/var/lib/cloud/instance/user-data.txt`) sees the scripts as written.
 */
export function renderCloudConfig(config: CloudConfig): string {
  const document = {
    write_files: config.writeFiles.map((file) => ({
      path: file.path,
      owner: file.owner ?? 'root:root',
      permissions: file.permissions,
      content: file.content,
    })),
    runcmd: config.runcmd,
  };
  const comment = config.comment
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  return `#cloud-config\n${comment}\n${stringify(document, { blockQuote: 'literal', lineWidth: 0, indentSeq: false })}`;
}

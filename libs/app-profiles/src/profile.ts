/**
 * What differs between the platforms hafleet hosts (Moodle, Totara, a SCORM/xAPI engine, ...): one
 * `ApplicationProfile` each, one file each under `profiles/`. The stack takes its health check,
 * WAF exemptions, timeouts and scaling from here; the boot script takes the config file, the data
 * mount, the services and the cron job. Everything tenant-specific comes from the published
 * runtime configuration (`runtime-parameters.ts`), so one release AMI serves every tenant.
 */
export interface ApplicationProfile {
  /** The value of `app.profile` in a tenant spec. */
  readonly name: string;
  readonly title: string;
  /** Port the web server on the instances listens on (plain HTTP behind the ALB). */
  readonly port: number;
  readonly health: {
    /**
     * What the target group probes: a static file the boot script writes only once the config is
     * rendered and the services run. It needs no database, so a database failover does not mark
     * every instance unhealthy.
     */
    readonly shallowPath: string;
    /** Where the web server serves `shallowPath` from on the instance. */
    readonly shallowFile: string;
    /** A page that needs the database, cache and files: probed by an alarm, never by the group. */
    readonly deepPath: string;
  };
  readonly waf: {
    /** Paths that legitimately carry large bodies (uploads, AJAX, quiz answers, xAPI statements). */
    readonly largeBodyPaths: readonly string[];
    /** Authoring and runtime paths where body-inspecting managed rules only count. */
    readonly countModePaths: readonly string[];
  };
  /** Scheduled work; it runs on the worker node only, never on user-facing nodes. */
  readonly cron: {
    /** Run as this user, with `/etc/hafleet/runtime.env` in the environment. */
    readonly user: string;
    readonly command: string;
    /** Minutes between runs (1–60). */
    readonly everyMinutes: number;
  };
  /** The application's config file, rendered at boot from `template`. */
  readonly config: {
    readonly path: string;
    readonly owner: string;
    readonly mode: string;
    /**
     * `{{HAFLEET_...}}` placeholders name runtime values (`RUNTIME_PARAMETERS` env names, plus the
     * `SECRET_VALUES` read from Secrets Manager); nothing else in the template is interpreted.
     */
    readonly template: string;
  };
  readonly files: {
    /** Where the tenant's EFS access point is mounted. */
    readonly mountPath: string;
    /** POSIX owner the access point enforces (the web server's user on the release AMI). */
    readonly uid: number;
    readonly gid: number;
  };
  /** systemd units started after the config is rendered, in order. */
  readonly services: readonly string[];
  readonly timeouts: {
    /** ALB idle timeout: the longest legitimate request (package import, course restore). */
    readonly requestSeconds: number;
    /**
     * CloudFront origin read timeout, 1–60 s: the most an account allows without a quota increase,
     * so a first apply never fails on it (a tenant with the increase sets `cdn.originReadTimeoutSeconds`).
     */
    readonly originReadSeconds: number;
    /** CloudFront origin keep-alive timeout, 1–60 s (the same quota). */
    readonly originKeepAliveSeconds: number;
    /** Target group deregistration delay: in-flight requests finish before an instance goes. */
    readonly deregistrationDelaySeconds: number;
  };
  /** ALB requests per target per minute the request-count scaling policy aims for. */
  readonly requestsPerTargetPerMinute: number;
}

/** Checks a profile's own consistency; the registry test runs it on every profile. */
export function profileProblems(profile: ApplicationProfile): string[] {
  const problems: string[] = [];
  const path = (value: string, what: string) => {
    if (!/^\/[\x21-\x7e]*$/.test(value)) problems.push(`${what} "${value}" must be a URL path starting with "/"`);
  };
  path(profile.health.shallowPath, 'health.shallowPath');
  path(profile.health.deepPath, 'health.deepPath');
  profile.waf.largeBodyPaths.forEach((p) => path(p, 'waf.largeBodyPaths'));
  profile.waf.countModePaths.forEach((p) => path(p, 'waf.countModePaths'));
  if (profile.health.shallowPath === profile.health.deepPath) problems.push('health.shallowPath must differ from deepPath');
  if (!Number.isInteger(profile.port) || profile.port < 1 || profile.port > 65535) problems.push(`port ${profile.port} is not a TCP port`);
  if (!(profile.cron.everyMinutes >= 1 && profile.cron.everyMinutes <= 60)) problems.push('cron.everyMinutes must be 1–60');
  const t = profile.timeouts;
  if (!(t.requestSeconds >= 1 && t.requestSeconds <= 4000)) problems.push('timeouts.requestSeconds must be 1–4000 (ALB idle timeout)');
  // Above 60 s CloudFront needs a per-account quota increase: a profile must work in a fresh account.
  if (!(t.originReadSeconds >= 1 && t.originReadSeconds <= 60)) problems.push('timeouts.originReadSeconds must be 1–60');
  if (!(t.originKeepAliveSeconds >= 1 && t.originKeepAliveSeconds <= 60)) problems.push('timeouts.originKeepAliveSeconds must be 1–60');
  if (!(t.deregistrationDelaySeconds >= 0 && t.deregistrationDelaySeconds <= 3600))
    problems.push('timeouts.deregistrationDelaySeconds must be 0–3600');
  if (!profile.config.path.startsWith('/')) problems.push('config.path must be absolute');
  if (!profile.files.mountPath.startsWith('/')) problems.push('files.mountPath must be absolute');
  if (profile.requestsPerTargetPerMinute < 1) problems.push('requestsPerTargetPerMinute must be positive');
  return problems;
}

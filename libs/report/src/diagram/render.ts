import { spawn } from 'node:child_process';

/** Graphviz's `dot` (Debian package `graphviz`); HAFLEET_DOT points at another binary. */
export const dotBinary = (): string => process.env['HAFLEET_DOT'] ?? 'dot';

export class DiagramError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiagramError';
  }
}

/** Runs one `dot -Tsvg` over several graphs at once (one process start for many tenants). */
function runDot(sources: readonly string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(dotBinary(), ['-Tsvg'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new DiagramError(
              `Graphviz \`${dotBinary()}\` is not installed — fix: \`apt-get install graphviz\` (Debian/Ubuntu) ` +
                `or \`brew install graphviz\`, or set HAFLEET_DOT to its path`,
            )
          : error,
      ),
    );
    child.on('close', (code) => {
      if (code !== 0) return reject(new DiagramError(`dot exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 2000)}`));
      // dot writes one complete SVG document per graph, back to back.
      const svgs = Buffer.concat(out)
        .toString('utf8')
        .split(/(?=<\?xml )/)
        .filter((s) => s.trim());
      if (svgs.length !== sources.length)
        return reject(new DiagramError(`dot returned ${svgs.length} diagrams for ${sources.length} graphs`));
      resolve(svgs);
    });
    child.stdin.end(sources.join('\n'));
  });
}

/**
 * SVG for every graph, laid out by Graphviz: graphs go to `parallel` dot processes in batches, so a
 * fleet of a thousand tenants pays a handful of process starts, not a thousand.
 */
export async function renderSvgs(
  sources: readonly string[],
  options: { parallel?: number; batch?: number; onBatch?: (done: number) => void } = {},
): Promise<string[]> {
  const batch = options.batch ?? 50;
  const batches: Array<{ start: number; items: readonly string[] }> = [];
  for (let i = 0; i < sources.length; i += batch) batches.push({ start: i, items: sources.slice(i, i + batch) });
  const result: string[] = new Array<string>(sources.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < batches.length) {
      const { start, items } = batches[next++]!;
      const svgs = await runDot(items);
      svgs.forEach((svg, i) => (result[start + i] = svg));
      done += items.length;
      options.onBatch?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 2) }, worker));
  return result;
}

/** The SVG element alone (no XML prolog or doctype), to inline in a page. */
export const inlineSvg = (svg: string): string => svg.slice(svg.indexOf('<svg'));

import { spawnSync } from 'node:child_process';

/**
 * Runs a command in a real pseudo-terminal (Python's standard `pty` module, no native npm
 * package) and plays a script against it like `expect`: wait until the screen (ANSI escapes
 * removed) shows `expect`, then type `send`. For testing interactive prompts as a person meets them.
 */
export interface PtyStep {
  readonly expect: string;
  /** Keys to type; `\r` is Enter, `\x7f` Backspace, `\x1b[B` arrow down. */
  readonly send: string;
}

export interface PtyResult {
  /** Every step's `expect` was seen in order. */
  readonly ok: boolean;
  /** The step that timed out, when not ok. */
  readonly failedStep?: number;
  /** Exit code of the command (null when it was still running at the end). */
  readonly code: number | null;
  /** Everything the terminal showed, ANSI escapes removed. */
  readonly transcript: string;
}

const DRIVER = String.raw`
import fcntl, json, os, pty, re, select, struct, subprocess, sys, termios, time
steps, timeout = json.loads(sys.argv[1]), float(sys.argv[2])
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 160, 0, 0))
p = subprocess.Popen(sys.argv[3:], stdin=slave, stdout=slave, stderr=slave, start_new_session=True, close_fds=True)
os.close(slave)
ansi = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[=>78]')
raw = b''
def screen(): return ansi.sub('', raw.decode('utf8', 'replace'))
def pump(wait):
    global raw
    ready, _, _ = select.select([master], [], [], wait)
    if not ready: return True
    try: chunk = os.read(master, 65536)
    except OSError: return False
    if not chunk: return False
    raw += chunk
    return True
def finish(ok, step):
    deadline = time.time() + timeout
    while p.poll() is None and time.time() < deadline: pump(0.1)
    while pump(0.05) and select.select([master], [], [], 0)[0]: pass
    if p.poll() is None: p.kill()
    print(json.dumps({'ok': ok, 'failedStep': step, 'code': p.poll(), 'transcript': screen()}))
    sys.exit(0)
seen = 0
for i, step in enumerate(steps):
    deadline = time.time() + timeout
    while True:
        at = screen().find(step['expect'], seen)
        if at >= 0:
            seen = at + len(step['expect'])
            break
        alive = pump(0.1)
        if time.time() > deadline or (not alive and p.poll() is not None): finish(False, i)
    time.sleep(0.2)  # the prompt finishes drawing before keys arrive
    os.write(master, step['send'].encode())
finish(True, None)
`;

export function runInPty(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; steps: readonly PtyStep[]; stepTimeoutSeconds?: number },
): PtyResult {
  const r = spawnSync(
    'python3',
    ['-c', DRIVER, JSON.stringify(options.steps), String(options.stepTimeoutSeconds ?? 60), command, ...args],
    {
      cwd: options.cwd,
      env: options.env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`pty driver failed (exit ${r.status}): ${r.stderr}`);
  const result = JSON.parse(r.stdout) as { ok: boolean; failedStep: number | null; code: number | null; transcript: string };
  return { ok: result.ok, failedStep: result.failedStep ?? undefined, code: result.code, transcript: result.transcript };
}

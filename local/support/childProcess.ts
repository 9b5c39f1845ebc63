import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts a process the stack supervises: in a process group of its own, so that a Ctrl-C or a
 * SIGTERM sent to the stack's group reaches only the stack, which then stops its processes in
 * order (the host first, Azurite last); with an IPC channel, so that the child hears a stop
 * request and notices when the stack is gone (`exitWithParent`).
 */
export function spawnSupervised(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Asks a supervised child to stop (the IPC message `stop`, else SIGTERM) and waits up to `graceMs`;
 * then kills its whole process group. Resolves when it has exited.
 */
export async function stopSupervised(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  if (child.connected) child.send('stop');
  else child.kill('SIGTERM');
  const timer = setTimeout(() => killGroup(child), graceMs);
  await done;
  clearTimeout(timer);
}

/** SIGKILL to the child and everything it started (its process group). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Prefixes each line a child prints, so the stack's output says who spoke. */
export function pipeWithPrefix(child: ChildProcess, prefix: string, write: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') write(`${prefix} ${line}`);
    });
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { RUNNING_STACK_FILE, type RunningStack } from '../../local/stack/runningStack';
import { waitFor } from './stack';

const ROOT = path.join(__dirname, '..', '..');

/** `npm start` as a user runs it: its own process in its own process group (as a terminal's foreground job). */
export interface StackProcess {
  child: ChildProcess;
  running: RunningStack;
  output: string[];
  exited: Promise<number | null>;
}

export async function startStackProcess(dataDir: string, env: Record<string, string> = {}): Promise<StackProcess> {
  const file = path.join(dataDir, RUNNING_STACK_FILE);
  rmSync(file, { force: true }); // a stack that was killed could not remove it
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'local', 'stack', 'start.ts'), '--data', dataDir, '--free-ports'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(() => existsSync(file) || child.exitCode !== null, 90_000, 'the stack to start');
  if (!existsSync(file)) throw new Error(`the stack did not start:\n${output.join('')}`);
  return { child, running: JSON.parse(readFileSync(file, 'utf8')) as RunningStack, output, exited };
}

/** Alive, and not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Whether something accepts connections on the port. */
export async function portOpen(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  return (await response.json()) as T;
}

/**
 * The child side of `spawnSupervised`: `stop` runs once when the stack asks (IPC `stop`) or the
 * process is signalled; `gone` runs when the stack has disappeared without asking (its IPC channel
 * closed: it was killed), so that no process outlives the stack.
 */
export function superviseFromParent(handlers: { stop: (why: string) => void; gone: () => void }): void {
  let stopping = false;
  const stopOnce = (why: string): void => {
    if (stopping) return;
    stopping = true;
    handlers.stop(why);
  };
  process.on('message', (message) => {
    if (message === 'stop') stopOnce('asked by the stack');
  });
  process.on('disconnect', () => {
    if (!stopping) handlers.gone();
  });
  process.on('SIGINT', () => stopOnce('SIGINT'));
  process.on('SIGTERM', () => stopOnce('SIGTERM'));
}

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { DeployStep } from './deployCommands';

const ROOT = path.resolve(__dirname, '..');
const INSTALL_HINT: Record<string, string> = {
  func: 'Azure Functions Core Tools 4 (npm i -g azure-functions-core-tools@4, or your package manager)',
  az: 'the Azure CLI (https://aka.ms/installazurecli), then az login',
};

/** Runs one step in the project folder; a missing CLI or a failure stops the deployment with why. */
export function runStep(step: DeployStep, args: string[]): string {
  console.log(`\n> ${step.why}\n  ${step.command} ${args.join(' ')}`);
  const result = spawnSync(step.command, args, {
    cwd: ROOT,
    stdio: step.captures === undefined ? 'inherit' : ['inherit', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.error !== undefined && (result.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error(`${step.command} is not installed: install ${INSTALL_HINT[step.command] ?? step.command}`);
  if (result.status !== 0)
    throw new Error(`${step.command} ${args.slice(0, 3).join(' ')} failed (exit ${String(result.status)}): nothing after it was run`);
  // null when the output was not captured (stdio inherit), whatever the type says.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  return (result.stdout ?? '').trim();
}

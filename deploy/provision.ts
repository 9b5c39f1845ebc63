/**
 * `npm run provision -- <environment>`: stage 1 of infra/, main.bicep with main.<environment>.bicepparam
 * (the values it reads from the environment must be set), at subscription scope; then prints the
 * outputs the deploy step and operators need.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { runStep } from './runStep';

const program = new Command('provision')
  .description('Deploy infra/main.bicep for an environment (az deployment sub create)')
  .argument('<environment>', 'dev or prod: infra/main.<environment>.bicepparam')
  .option('--location <region>', 'where the deployment record is kept', process.env.AZURE_LOCATION ?? 'westeurope')
  .option('--dry-run', 'print the command, run nothing')
  .parse();

const [environment] = program.args as [string];
const options = program.opts<{ location: string; dryRun?: boolean }>();
const parameters = path.join('infra', `main.${environment}.bicepparam`);
if (!existsSync(path.resolve(__dirname, '..', parameters))) {
  console.error(`provision failed: ${parameters} does not exist (environments: dev, prod)`);
  process.exit(1);
}
const name = `order-hub-${environment}`;
const deploy = {
  why: `deploy infra/main.bicep for ${environment}`,
  command: 'az',
  args: [
    'deployment',
    'sub',
    'create',
    '--name',
    name,
    '--location',
    options.location,
    '--template-file',
    'infra/main.bicep',
    '--parameters',
    parameters,
  ],
};
const outputs = {
  why: 'its outputs (function app, resource group, identity, topic endpoints, callback URL)',
  command: 'az',
  args: ['deployment', 'sub', 'show', '--name', name, '--query', 'properties.outputs', '--output', 'jsonc'],
};
if (options.dryRun === true) {
  for (const step of [deploy, outputs]) console.log(`> ${step.why}\n  ${step.command} ${step.args.join(' ')}`);
} else {
  try {
    runStep(deploy, deploy.args);
    runStep(outputs, outputs.args);
  } catch (error) {
    console.error(`provision failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

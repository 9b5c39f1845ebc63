/**
 * `npm run deploy -- <app> --resource-group <rg>`: builds the bundle, publishes it with the func
 * CLI and subscribes orderEventsProcessor to the ECP topic (stage 2 of infra/). `--dry-run` shows
 * the commands without running them. Needs the Azure CLI (`az login`) and Azure Functions Core Tools.
 */
import path from 'node:path';
import { Command } from 'commander';
import { bundleApp } from '../build/bundle';
import { deployPlan, withCaptured, type DeployStep } from './deployCommands';
import { runStep } from './runStep';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const program = new Command('deploy')
    .description('Build the bundle, publish it to a function app and subscribe it to the ECP topic')
    .argument('<app>', 'the function app (output AZURE_FUNCTION_APP_NAME of infra/main.bicep)')
    .requiredOption('--resource-group <name>', 'its resource group (output AZURE_RESOURCE_GROUP)')
    .option('--subscriptions-only', 'only stage 2: the Event Grid subscription (after a publish by azd)')
    .option('--dry-run', 'print the commands, run nothing')
    .parse();
  const [app] = program.args as [string];
  const options = program.opts<{ resourceGroup: string; subscriptionsOnly?: boolean; dryRun?: boolean }>();
  const plan = deployPlan({ app, resourceGroup: options.resourceGroup, subscriptionsOnly: options.subscriptionsOnly === true });
  if (options.dryRun === true) {
    if (options.subscriptionsOnly !== true) console.log('> build the bundle\n  npm run build');
    for (const step of plan) console.log(`> ${step.why}\n  ${step.command} ${step.args.join(' ')}`);
    return;
  }
  if (options.subscriptionsOnly !== true) {
    const { outfile, bytes } = await bundleApp();
    console.log(`> built ${path.relative(ROOT, outfile)} (${(bytes / 1024 / 1024).toFixed(1)} MB)`);
  }
  const captured: Partial<Record<NonNullable<DeployStep['captures']>, string>> = {};
  for (const step of plan) {
    const output = runStep(step, withCaptured(step, captured));
    if (step.captures !== undefined) {
      if (output === '')
        throw new Error(`no ${step.captures} found in resource group ${options.resourceGroup}: was infra/main.bicep deployed there?`);
      captured[step.captures] = output;
    }
  }
  console.log(
    `\n${app} is deployed and subscribed to ${captured.ecpTopic ?? 'the ECP topic'}. Next: README, Deployment, step 5 (the first order).`,
  );
}

main().catch((error: unknown) => {
  console.error(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

/** One step of a deployment: a command line and what it is for. */
export interface DeployStep {
  why: string;
  command: string;
  args: string[];
  /** A step whose output names what the next steps need (read, not shown). */
  captures?: 'ecpTopic' | 'storageAccount';
}

export interface DeployPlanOptions {
  app: string;
  resourceGroup: string;
  /** Only stage 2: the ECP topic's subscription to orderEventsProcessor (azd's postdeploy hook). */
  subscriptionsOnly: boolean;
}

/** A step that names the one resource of a type in the resource group that the next steps need. */
function findInGroup(
  resourceGroup: string,
  captures: NonNullable<DeployStep['captures']>,
  what: string,
  resourceType: string,
  query: string,
): DeployStep {
  return {
    why: `find ${what} of the resource group`,
    command: 'az',
    args: ['resource', 'list', '--resource-group', resourceGroup, '--resource-type', resourceType, '--query', query, '--output', 'tsv'],
    captures,
  };
}

/**
 * What `npm run deploy -- <app>` runs, in order: the bundle published with the func CLI, then
 * stage 2 of infra/ (the Event Grid subscription, which needs the function deployed). The bundle
 * is built before this plan runs.
 */
export function deployPlan(options: DeployPlanOptions): DeployStep[] {
  const { app, resourceGroup } = options;
  const publish: DeployStep[] = [
    {
      why: 'publish the bundle (dist/main.js, host.json, mappings/, templates/, prices/; see .funcignore)',
      command: 'func',
      args: ['azure', 'functionapp', 'publish', app, '--javascript', '--no-build'],
    },
  ];
  const subscribe: DeployStep[] = [
    findInGroup(
      resourceGroup,
      'ecpTopic',
      'the ECP topic',
      'Microsoft.EventGrid/topics',
      "[?starts_with(name, 'evgt-ecp-orders')].name | [0]",
    ),
    findInGroup(
      resourceGroup,
      'storageAccount',
      'the storage account (dead-lettered events)',
      'Microsoft.Storage/storageAccounts',
      '[0].name',
    ),
    {
      why: 'subscribe orderEventsProcessor to the ECP topic (infra/eventSubscriptions.bicep)',
      command: 'az',
      args: [
        'deployment',
        'group',
        'create',
        '--resource-group',
        resourceGroup,
        '--name',
        'order-hub-event-subscriptions',
        '--template-file',
        'infra/eventSubscriptions.bicep',
        '--parameters',
        'ecpTopicName={ecpTopic}',
        `functionAppName=${app}`,
        'storageAccountName={storageAccount}',
      ],
    },
  ];
  return options.subscriptionsOnly ? subscribe : [...publish, ...subscribe];
}

/** A step's arguments with what earlier steps captured put in their places. */
export function withCaptured(step: DeployStep, captured: Partial<Record<NonNullable<DeployStep['captures']>, string>>): string[] {
  return step.args.map((arg) =>
    arg.replace(/\{(ecpTopic|storageAccount)\}/g, (_, name: 'ecpTopic' | 'storageAccount') => captured[name] ?? `{${name}}`),
  );
}

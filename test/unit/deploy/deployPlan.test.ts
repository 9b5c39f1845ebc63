import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deployPlan, withCaptured } from '../../../deploy/deployCommands';

describe('npm run deploy', () => {
  const plan = deployPlan({ app: 'func-orderhub-dev-x', resourceGroup: 'rg-orderhub-dev', subscriptionsOnly: false });

  it('publishes the bundle with the func CLI before it subscribes the function to the ECP topic', () => {
    expect(plan.map((step) => `${step.command} ${step.args.slice(0, 3).join(' ')}`)).toEqual([
      'func azure functionapp publish',
      'az resource list --resource-group',
      'az resource list --resource-group',
      'az deployment group create',
    ]);
    expect(plan[0]?.args).toContain('func-orderhub-dev-x');
  });

  it('fills stage 2 with the topic and account it found, and the app', () => {
    const subscribe = plan.at(-1)!;
    expect(withCaptured(subscribe, { ecpTopic: 'evgt-ecp-orders-dev-x', storageAccount: 'storderhubdevx' })).toEqual(
      expect.arrayContaining([
        'ecpTopicName=evgt-ecp-orders-dev-x',
        'functionAppName=func-orderhub-dev-x',
        'storageAccountName=storderhubdevx',
      ]),
    );
  });

  it('looks the ECP topic up by the name infra/main.bicep gives it', () => {
    const main = readFileSync(path.join(__dirname, '../../../infra/main.bicep'), 'utf8');
    expect(main).toMatch(/ecpTopic: 'evgt-ecp-orders-/);
    expect(plan[1]?.args.join(' ')).toContain("starts_with(name, 'evgt-ecp-orders')");
  });

  it('runs only stage 2 after azd has published', () => {
    expect(deployPlan({ app: 'a', resourceGroup: 'rg', subscriptionsOnly: true }).map((s) => s.command)).toEqual(['az', 'az', 'az']);
  });
});

import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BridgeStack } from '#lib/bridge-stack';
import { loadStackConfig } from '#lib/config';

const app = new App();
const config = loadStackConfig(app);

// No account or region here: the stack is environment-agnostic, so `cdk synth` needs neither
// credentials nor network, and `cdk deploy` targets whatever account the caller's profile selects.
new BridgeStack(app, 'Bridge', {
  stackName: config.stackName,
  description: 'greenhouse-beamery-bridge: Greenhouse <-> Beamery sync and AI workflows',
  config,
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

import { App, Validations } from 'aws-cdk-lib';
import { BridgeStack } from '#lib/bridge-stack';
import { loadStackConfig } from '#lib/config';
import { nagPack, nagPacksToRun } from '#lib/nag/packs';

const app = new App();
const config = loadStackConfig(app);

// No account or region here: the stack is environment-agnostic, so `cdk synth` needs neither
// credentials nor network, and `cdk deploy` targets whatever account the caller's profile selects.
new BridgeStack(app, 'Bridge', {
  stackName: config.stackName,
  description: 'greenhouse-beamery-bridge: Greenhouse <-> Beamery sync and AI workflows',
  config,
});

Validations.of(app).addPlugins(...nagPacksToRun(config.nag.packs).map((name) => nagPack(name, app)));

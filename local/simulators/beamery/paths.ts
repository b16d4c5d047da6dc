import { fileURLToPath } from 'node:url';

/** Where `npm run sim:beamery` listens unless told otherwise (importable without starting the CLI). */
export const DEFAULT_BEAMERY_SIM_PORT = 4102;

/** The scenario the simulator loads when given none (fictional people, example.com addresses). */
export const DEFAULT_BEAMERY_SCENARIO_PATH = fileURLToPath(new URL('../../../scenarios/beamery/default.json', import.meta.url));
export const MANY_CONTACTS_SCENARIO_PATH = fileURLToPath(new URL('../../../scenarios/beamery/many-contacts.json', import.meta.url));

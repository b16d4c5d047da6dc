import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod/mini, the bridge's one schema library: the same validation as classic zod, but functions
 * instead of methods, so a bundle holds only the schemas and checks it uses (classic zod's methods
 * pull in all of it, about 100 KiB in every Lambda; docs/architecture.md, "Bundles").
 *
 * Classic zod registers its English messages when its first schema is built; zod/mini loads no locale
 * and would answer every issue with "Invalid input". Registering the same English locale here keeps
 * the messages the config, the settings and the wire errors have always printed. Every module imports
 * zod through this one, so the locale is set before any of them parses.
 */
config(en());

export * from 'zod/mini';
// By name, not as `z.core.…`: a bundler cannot trim a namespace reached through another, and
// `z.core` would bring all of zod's core (every locale, the JSON Schema code) into each bundle.
export { $ZodError, $ZodRealError } from 'zod/v4/core';

/**
 * Where a module loaded on first use lives. The specifier is computed, so esbuild leaves the import to
 * run time: from source (tsx, vitest) the module is the .ts file beside the importing one; in a Lambda
 * bundle it is the .mjs file beside index.mjs, which lib/constructs/bridge-function.ts builds there
 * (LAZY_MODULES). `importer` is the importing module's `import.meta.url`.
 */
export function lazyModuleUrl(importer: string, source: string, bundled: string): string {
  return new URL(importer.endsWith('.ts') ? source : bundled, importer).href;
}

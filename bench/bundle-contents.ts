/**
 * `npx tsx bench/bundle-contents.ts [function...]`: what each Lambda's bundle holds, by package and by
 * module, from an esbuild metafile of the same build NodejsFunction runs (the entry and the options in
 * lib/constructs/bridge-function.ts). Sizes are bytes in the minified output, so they add up to the
 * bundle bench/bundles.ts measures (less the banner). A tool for finding what to trim, not a bench
 * section: it times nothing.
 */
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { BUNDLE_ALIASES, BUNDLING, externalModulesFor, REPO_ROOT } from '#lib/constructs/bridge-function';
import { FUNCTION_ENVIRONMENTS, type BridgeFunctionId } from '#lib/function-environments';

export interface BundleContents {
  readonly function: BridgeFunctionId;
  readonly bytes: number;
  /** Bytes by package (`@scope/name`, or `(bridge)` for the repository's own code), largest first. */
  readonly packages: readonly { readonly name: string; readonly bytes: number }[];
  /** Bytes by module path, largest first. */
  readonly modules: readonly { readonly path: string; readonly bytes: number }[];
}

export async function bundleContents(id: BridgeFunctionId): Promise<BundleContents> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, FUNCTION_ENVIRONMENTS[id].entry)],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    write: false,
    metafile: true,
    outfile: join(REPO_ROOT, '.bench', 'contents', id, 'index.mjs'),
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    mainFields: [...BUNDLING.mainFields],
    external: externalModulesFor(FUNCTION_ENVIRONMENTS[id].entry),
    banner: { js: BUNDLING.banner },
    alias: { ...BUNDLE_ALIASES },
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error(`no output for ${id}`);
  return { function: id, bytes: output.bytes, ...groupInputs(output.inputs) };
}

function groupInputs(inputs: Metafile['outputs'][string]['inputs']): Pick<BundleContents, 'packages' | 'modules'> {
  const packages = new Map<string, number>();
  const modules = Object.entries(inputs).map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }));
  for (const { path, bytes } of modules) packages.set(packageOf(path), (packages.get(packageOf(path)) ?? 0) + bytes);
  const bySize = <T extends { bytes: number }>(a: T, b: T) => b.bytes - a.bytes;
  return { packages: [...packages].map(([name, bytes]) => ({ name, bytes })).sort(bySize), modules: modules.sort(bySize) };
}

/** The package a module belongs to: the last node_modules segment's name, scoped or not. */
function packageOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return '(bridge)';
  const [first, second] = path.slice(at + 'node_modules/'.length).split('/');
  return first!.startsWith('@') ? `${first}/${second}` : first!;
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

if (import.meta.url === `file://${process.argv[1]}`) {
  const ids = process.argv.slice(2) as BridgeFunctionId[];
  for (const id of ids.length ? ids : (Object.keys(FUNCTION_ENVIRONMENTS) as BridgeFunctionId[])) {
    if (!(id in FUNCTION_ENVIRONMENTS)) throw new Error(`unknown function ${id}; one of ${Object.keys(FUNCTION_ENVIRONMENTS).join(', ')}`);
    const contents = await bundleContents(id);
    console.log(`\n${id}: ${kib(contents.bytes)} KiB`);
    for (const p of contents.packages.slice(0, 15)) console.log(`  ${kib(p.bytes).padStart(7)} KiB  ${p.name}`);
    console.log('  largest modules:');
    for (const m of contents.modules.slice(0, 25)) console.log(`  ${kib(m.bytes).padStart(7)} KiB  ${m.path}`);
  }
}

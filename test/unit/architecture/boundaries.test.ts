import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The boundaries docs/design.md draws, checked on the source: the core (lambdas/core) is pure
 * decisions over its own ports and records, so it imports nothing from the adapters, the handlers,
 * the infrastructure, the local stack or the configuration, no AWS SDK or Powertools, and does no
 * I/O; the infrastructure (lib) does not reach into handlers.
 */
const ROOT = resolve(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function specifiers(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gms),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1]!);
}

/** Node built-ins the core may use: hashing is a pure function. */
const CORE_NODE_ALLOWED = new Set(['node:crypto']);
/** Libraries the core may use: validation. */
const CORE_PACKAGES_ALLOWED = new Set(['zod', 'zod/mini', 'zod/v4/core', 'zod/v4/locales/en.js']);

function coreViolation(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('#core/')) return undefined;
  if (specifier.startsWith('.')) {
    const target = relative(join(ROOT, 'lambdas/core'), resolve(join(ROOT, dirname(file)), specifier));
    return target.startsWith('..') ? `${file} imports ${specifier}, outside lambdas/core` : undefined;
  }
  if (specifier.startsWith('#')) return `${file} imports ${specifier}`;
  if (specifier.startsWith('node:')) return CORE_NODE_ALLOWED.has(specifier) ? undefined : `${file} imports ${specifier} (I/O belongs to an adapter)`;
  return CORE_PACKAGES_ALLOWED.has(specifier) ? undefined : `${file} imports the package ${specifier}`;
}

describe('module boundaries', () => {
  const core = sourceFiles('lambdas/core');

  it('finds the core and reads its imports (the check below is not vacuous)', () => {
    expect(core.length).toBeGreaterThan(40);
    expect(specifiers('lambdas/core/sync/reconcile-candidate.ts')).toContain('#core/ports/greenhouse-api');
    expect(coreViolation('lambdas/core/x.ts', '#adapters/greenhouse/client')).toBeDefined();
    expect(coreViolation('lambdas/core/x.ts', '@aws-sdk/client-sqs')).toBeDefined();
    expect(coreViolation('lambdas/core/sync/x.ts', '../../adapters/http/api-client.ts')).toBeDefined();
    expect(coreViolation('lambdas/core/sync/x.ts', '../envelope.ts')).toBeUndefined();
  });

  it('the core imports only the core, zod and node:crypto', () => {
    const violations = core.flatMap((file) => specifiers(file).flatMap((s) => coreViolation(file, s) ?? []));
    expect(violations).toEqual([]);
  });

  it('the core does no I/O of its own: no environment, network or file access', () => {
    const io = core.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return [/\bprocess\.env\b/, /\bfetch\(/, /\brequire\(/].filter((pattern) => pattern.test(text)).map((pattern) => `${file}: ${pattern.source}`);
    });
    expect(io).toEqual([]);
  });

  it('the infrastructure (lib) and the handlers do not import each other the wrong way', () => {
    const libToHandlers = sourceFiles('lib').flatMap((file) => specifiers(file).filter((s) => s.startsWith('#handlers')).map((s) => `${file} imports ${s}`));
    expect(libToHandlers).toEqual([]);
  });
});

/**
 * The directory topoplan is installed in (or checked out to): the nearest
 * directory above this module that holds a `package.json`. Found by walking
 * up rather than by a fixed `../..`, so it is the same from the sources
 * (`src/`), the compiled library (`dist/`) and the bundled CLI (`dist/bin/`),
 * whose modules sit at different depths.
 *
 * @example
 * packageFile('schemas/topology.schema.json') // '/repo/node_modules/topoplan/schemas/topology.schema.json'
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  root ??= find(dirname(fileURLToPath(import.meta.url)));
  return root;
}

/** A path inside the package, given relative to its root. */
export function packageFile(relative: string): string {
  return join(packageRoot(), relative);
}

/** Whether this code runs compiled (`dist/`, bundled or not) rather than from the TypeScript sources. */
export function runsCompiled(): boolean {
  return !import.meta.url.endsWith('.ts');
}

function find(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`topoplan: no package.json above ${from}; the package is installed incompletely (reinstall it)`);
  }
}

/**
 * The version of the statement analyser, as the parse cache keys entries by
 * it: a digest of the code that turns a file into statements and effects
 * (every file under `src/sql/`, or `dist/sql/` once built, the diagnostics
 * it builds them with, and the topology reader whose readings the cache keeps
 * too, with the version of `yaml`), the package version and the libpg-query version. Any
 * change to that code, even one that keeps the package version, gives a new
 * version, so a cache never serves what older code read. The bundled CLI
 * (`dist/bundle/`) has the version written into it when it is built from
 * `dist/`, so it reads no files for it.
 *
 * @example
 * analyserVersion() // '0.1.0+18.1.5+3f0c9a41d2e87b5c'
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_VERSION } from '../package-version.js';

/** Set by the bundler (scripts/bundle-cli.mjs) to the version of the `dist/` it bundles; absent elsewhere. */
declare const __TOPOPLAN_ANALYSER_VERSION__: string | undefined;

let version: string | undefined;

/** Beside `sql/`: the diagnostics statements are built with, and the reading of topology files the cache keeps too (topology/source-cache.ts). */
const READERS_BESIDE = ['../errors', '../topology/yaml-source', '../topology/validate-schema', '../topology/position-index', '../topology/source-cache'];

export function analyserVersion(): string {
  version ??= typeof __TOPOPLAN_ANALYSER_VERSION__ === 'string' ? __TOPOPLAN_ANALYSER_VERSION__ : compute();
  return version;
}

function compute(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const hash = createHash('sha256');
  const files = (readdirSync(here, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith(ext)).sort();
  for (const rel of [...files, ...READERS_BESIDE.map((r) => `${r}${ext}`)]) hash.update(rel).update('\0').update(readFileSync(join(here, rel))).update('\0');
  const require = createRequire(import.meta.url);
  const pgQuery = (require('libpg-query/package.json') as { version: string }).version;
  hash.update(`yaml@${(require('yaml/package.json') as { version: string }).version}`);
  return `${PACKAGE_VERSION}+${pgQuery}+${hash.digest('hex').slice(0, 16)}`;
}

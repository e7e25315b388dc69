// Build step after tsc: bundles the CLI from dist/ into dist/bundle/ (one ES module per command, loaded when the
// command runs, and the parse worker), so starting the CLI reads a handful of files instead of some 200 modules.
// Bundled: topoplan's own modules and the small pure-JavaScript libraries every command needs (yaml, commander,
// picomatch, picocolors, graphlib). External: every other dependency (drivers, the SQL parser and its WebAssembly,
// ajv, the embedded engines), loaded from node_modules only when a command needs it. The analyser version of
// the dist/ being bundled is written into the bundle (see src/sql/analyser-version.ts).
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { analyserVersion } from '../dist/sql/analyser-version.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const bundled = new Set(['yaml', 'commander', 'picomatch', 'picocolors', '@dagrejs/graphlib']);
const external = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.optionalDependencies ?? {})].filter((d) => !bundled.has(d));
const outdir = new URL('../dist/bundle/', import.meta.url).pathname;

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: 'dist/cli/main.js', 'parse-worker': 'dist/sql/parse-worker.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // The bundled CommonJS libraries call require() for Node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __topoplanCreateRequire } from 'node:module'; const require = __topoplanCreateRequire(import.meta.url);" },
  define: { __TOPOPLAN_ANALYSER_VERSION__: JSON.stringify(analyserVersion()) },
  // Chunks sit next to the entries: the parse pool starts its worker as ./parse-worker.js beside itself.
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
});

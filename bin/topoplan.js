#!/usr/bin/env node
// An installed package runs the bundled CLI (dist/bundle/, built from dist/). A checkout (src/ next to bin/, tsx installed as a
// development dependency) runs the TypeScript sources directly, so it needs no build step and never a stale one.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/bundle/main.js');
}

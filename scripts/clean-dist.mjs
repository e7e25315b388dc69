/**
 * First step of `npm run build`: removes dist/, so the build (and the package
 * `npm pack` makes from it) holds only what the current sources compile to,
 * never a module of an earlier build whose source is gone.
 *
 * @example
 *   node scripts/clean-dist.mjs   // then tsc, the validator, the bundle
 */
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

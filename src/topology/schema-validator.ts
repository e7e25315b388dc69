/**
 * The validator of `schemas/topology.schema.json`, compiled once: ajv's own
 * compiler in a checkout, or the standalone JavaScript the build writes to
 * `dist/topology/topology-validator.cjs`, which starts in a fraction of the time
 * (ajv and its compiler are not loaded at all). The precompiled file records the
 * SHA-256 of the schema it was made from and is used only while the schema
 * still has that hash, so an edited schema never meets a stale validator.
 *
 * @example
 * const validate = schemaValidator();
 * if (!validate(doc)) console.log(validate.errors);
 * writeFileSync('dist/topology/topology-validator.cjs', schemaValidatorCode());   // what the build does
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { packageFile, runsCompiled } from '../package-root.js';

/** The file name of the precompiled validator, next to this module. */
export const PRECOMPILED_VALIDATOR = 'topology-validator.cjs';

const require = createRequire(import.meta.url);
const schemaFile = packageFile('schemas/topology.schema.json');
const OPTIONS = { allErrors: true, strict: false, verbose: true } as const;

let schemaText: string | undefined;
let compiled: ValidateFunction | undefined;

function text(): string {
  schemaText ??= readFileSync(schemaFile, 'utf8');
  return schemaText;
}

/** The topology JSON Schema, parsed. */
export function topologySchema(): Record<string, unknown> {
  return JSON.parse(text()) as Record<string, unknown>;
}

/** The SHA-256 of the schema file's text, as the precompiled validator records it. */
export function schemaHash(): string {
  return createHash('sha256').update(text()).digest('hex');
}

/**
 * The schema's validator: the precompiled one when it matches the schema, else compiled now by ajv. Compiled
 * code (the library in `dist/`, or the bundled CLI) finds it in `dist/topology/`; the sources next to this file.
 */
export function schemaValidator(dir: string = runsCompiled() ? packageFile('dist/topology') : fileURLToPath(new URL('.', import.meta.url))): ValidateFunction {
  compiled ??= precompiled(dir) ?? compileNow();
  return compiled;
}

function precompiled(dir: string): ValidateFunction | undefined {
  let mod: ValidateFunction & { schemaHash?: string };
  try {
    mod = require(`${dir.replace(/\/?$/, '/')}${PRECOMPILED_VALIDATOR}`) as ValidateFunction & { schemaHash?: string };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
  return mod.schemaHash === schemaHash() ? mod : undefined;
}

function compileNow(): ValidateFunction {
  const { Ajv } = require('ajv') as typeof import('ajv');
  return new Ajv(OPTIONS).compile(topologySchema());
}

/** The validator as standalone CommonJS (what the build writes to `PRECOMPILED_VALIDATOR`), stamped with the schema's hash. */
export function schemaValidatorCode(): string {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const standalone = (require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js')).default;
  const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
  const code = standalone(ajv, ajv.compile(topologySchema()));
  return `${code}\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash())};\n`;
}

/** Forgets the compiled validator (a test that swaps the precompiled file). */
export function resetSchemaValidator(): void {
  compiled = undefined;
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PRECOMPILED_VALIDATOR, resetSchemaValidator, schemaHash, schemaValidator, schemaValidatorCode } from '../../../src/topology/schema-validator.js';

const require = createRequire(import.meta.url);
// The precompiled file requires ajv's runtime helpers, so it must sit where ajv resolves, as it does in dist/.
const made: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(import.meta.dirname, '..', '..', '..', 'node_modules', '.topoplan-validator-'));
  made.push(d);
  return d;
};
const invalid = { topoplan: 1, name: 'x', stores: { main: { engine: 'pg', database: 'm', urll: '' } }, sets: {}, services: {} };
const summary = (v: ReturnType<typeof schemaValidator>) => (v(invalid) ? [] : (v.errors ?? []).map((e) => [e.keyword, e.instancePath, e.message, Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).length]));

afterEach(() => resetSchemaValidator());
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('schemaValidator', () => {
  it('without a precompiled file, compiles the schema with ajv and reports every problem', () => {
    const v = schemaValidator(mkdtempSync(join(tmpdir(), 'topoplan-novalidator-')));
    expect(summary(v).map((e) => e[0]).sort()).toEqual(['additionalProperties', 'enum']);
  });

  it('uses the precompiled file the build writes, which gives the same errors as ajv compiling the schema', () => {
    const compiled = summary(schemaValidator(mkdtempSync(join(tmpdir(), 'topoplan-novalidator-'))));
    resetSchemaValidator();
    const d = dir();
    writeFileSync(join(d, PRECOMPILED_VALIDATOR), schemaValidatorCode());
    const v = schemaValidator(d);
    expect(v).toBe(require(join(d, PRECOMPILED_VALIDATOR)));
    expect(summary(v)).toEqual(compiled);
    expect(v({ topoplan: 1, name: 'x', stores: {}, sets: {}, services: {} })).toBe(true);
  });

  it('ignores a precompiled file made from another version of the schema', () => {
    const d = dir();
    writeFileSync(join(d, PRECOMPILED_VALIDATOR), schemaValidatorCode().replace(schemaHash(), 'f'.repeat(64)));
    const v = schemaValidator(d);
    expect(v).not.toBe(require(join(d, PRECOMPILED_VALIDATOR)));
    expect(summary(v).length).toBe(2);
  });

  it('a precompiled file that fails to load is an error, not a silent fallback', () => {
    const d = dir();
    writeFileSync(join(d, PRECOMPILED_VALIDATOR), 'throw new Error("broken validator");\n');
    expect(() => schemaValidator(d)).toThrow('broken validator');
  });
});

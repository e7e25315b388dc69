// Build step after tsc: writes the topology schema's validator as standalone JavaScript next to the compiled
// module that loads it (dist/topology/topology-validator.cjs), so the CLI never loads ajv's compiler.
import { writeFileSync } from 'node:fs';
import { PRECOMPILED_VALIDATOR, schemaValidatorCode } from '../dist/topology/schema-validator.js';

writeFileSync(new URL(`../dist/topology/${PRECOMPILED_VALIDATOR}`, import.meta.url), schemaValidatorCode());

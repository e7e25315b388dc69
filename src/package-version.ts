/**
 * The version of the installed package, read from its package.json (one
 * level above both `src/` and the compiled `dist/`), so `topoplan --version`
 * and the library never disagree with what npm installed.
 *
 * @example
 * PACKAGE_VERSION // '0.1.0'
 */
import { readFileSync } from 'node:fs';

export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

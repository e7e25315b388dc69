/**
 * The version of the installed package, read from its package.json (see
 * package-root.ts), so `topoplan --version` and the library never disagree
 * with what npm installed.
 *
 * @example
 * PACKAGE_VERSION // '0.1.0'
 */
import { readFileSync } from 'node:fs';
import { packageFile } from './package-root.js';

export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;

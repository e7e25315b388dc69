/**
 * The hex digest of one string or buffer, in one call: crypto.hash() where
 * Node has it (20.12 and later), which makes no Hash object and no stream
 * for it; createHash() otherwise. The same digest either way. For the hashes
 * taken of every file and statement (checksums, fingerprints).
 *
 * @example
 * digestHex('sha256', 'create table t(a int)') // 'b2c1…' (64 hex digits)
 */
import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: string | Buffer, encoding: 'hex') => string;

const oneShot = (crypto as { hash?: OneShot }).hash;

export const digestHex: (algorithm: 'sha256' | 'sha384', data: string | Buffer) => string = oneShot
  ? (algorithm, data) => oneShot(algorithm, data, 'hex')
  : (algorithm, data) => crypto.createHash(algorithm).update(data).digest('hex');

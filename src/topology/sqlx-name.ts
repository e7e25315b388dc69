/**
 * sqlx's reading of a migration file name, rule for rule: the name is split at
 * the first `_`; a name without `_` or not ending in `.sql` is not a migration
 * to sqlx; the part before `_` is the version, a signed 64-bit integer
 * (`0998` is 998; `998b` or a number beyond i64 makes sqlx reject the whole
 * directory); the rest, without `.up.sql` / `.down.sql` / `.sql`, with every
 * `_` read as a space, is the description.
 *
 * @example
 * readSqlxName('0998_drop_old.down.sql') // { kind: 'migration', version: '998', description: 'drop old', type: 'down' }
 * readSqlxName('998b_x.sql')             // { kind: 'bad_version', version: '998b', reason: 'not an integer' }
 * readSqlxName('README.sql')             // { kind: 'ignored' }
 */

export type SqlxName =
  | { readonly kind: 'migration'; readonly version: string; readonly description: string; readonly type: 'simple' | 'up' | 'down' }
  | { readonly kind: 'bad_version'; readonly version: string; readonly reason: string }
  | { readonly kind: 'ignored' };

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

export function readSqlxName(name: string): SqlxName {
  const cut = name.indexOf('_');
  if (cut < 0) return { kind: 'ignored' };
  const head = name.slice(0, cut);
  const rest = name.slice(cut + 1);
  if (!rest.endsWith('.sql')) return { kind: 'ignored' };
  // Rust's i64::from_str: an optional sign, then ASCII digits only.
  if (!/^[+-]?[0-9]+$/.test(head)) return { kind: 'bad_version', version: head, reason: 'not an integer' };
  const version = BigInt(head);
  if (version < I64_MIN || version > I64_MAX) return { kind: 'bad_version', version: head, reason: 'out of the signed 64-bit range' };
  const type = rest.endsWith('.up.sql') ? 'up' : rest.endsWith('.down.sql') ? 'down' : 'simple';
  const suffix = type === 'simple' ? '.sql' : `.${type}.sql`;
  return { kind: 'migration', version: version.toString(), description: rest.slice(0, -suffix.length).replace(/_/g, ' '), type };
}

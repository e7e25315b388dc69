/**
 * SQL LIKE (`%` any run, `_` one character) as a regular expression over a whole name.
 *
 * @example likeToRegExp('trg_%_count_%').test('trg_likes_count_ins') // true
 */
export function likeToRegExp(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

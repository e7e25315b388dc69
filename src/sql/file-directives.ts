/**
 * Directives a migration tool reads from a file's comments that change how the
 * file runs: sqlx's `-- no-transaction` (the file's very first bytes), dbmate's
 * `-- migrate:up transaction:false` and goose's `-- +goose NO TRANSACTION`.
 *
 * @example
 * noTransactionDirective('-- no-transaction\nCREATE INDEX CONCURRENTLY ...') // 'the file starts with "-- no-transaction"'
 */

export function noTransactionDirective(text: string): string | undefined {
  // sqlx tests the file's text as it is: a BOM or a blank line before the comment hides it, as it does from sqlx.
  if (text.startsWith('-- no-transaction')) return 'the file starts with "-- no-transaction"';
  // Cheap tests first: almost no file has either directive.
  if (text.includes('transaction:false') && /^[ \t]*--[ \t]*migrate:up\b[^\n]*\btransaction:false\b/im.test(text)) return 'the file says "-- migrate:up transaction:false"';
  if (/\+goose/.test(text) && /^[ \t]*--[ \t]*\+goose[ \t]+no[ \t]+transaction\b/im.test(text)) return 'the file says "-- +goose NO TRANSACTION"';
  return undefined;
}

/**
 * Literal and identifier quoting for the SQL topoplan itself sends to ClickHouse
 * (ledger and lock rows). Literals are inlined rather than bound because the
 * embedded chdb connection and the HTTP server must accept the same text.
 *
 * @example
 * chString("it's") // "'it\\'s'"
 * chIdent('events') // '`events`'
 */
export function chString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Backtick-quotes one identifier. */
export function chIdent(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

/**
 * Qualifies a table name with the store's database unless it already has one.
 *
 * @example chTable('events', 'analytics') // '`analytics`.`events`'
 */
export function chTable(table: string, database: string): string {
  const parts = table.split('.').map((p) => p.replace(/^[`"]|[`"]$/g, ''));
  return (parts.length === 1 ? [database, parts[0]!] : parts).map(chIdent).join('.');
}

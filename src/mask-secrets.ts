/**
 * The one place passwords are masked: every line the CLI prints, every
 * error, every JSON document and every file topoplan writes goes through
 * {@link maskSecrets}, so a connection string taken from the environment
 * never leaks into a terminal, a CI log or a committed plan.
 *
 * It masks the password of any URL (`scheme://user:password@host`, the
 * password may itself hold `@` or `:`) and `password=...` settings of
 * key/value connection strings and query strings. User names, hosts,
 * ports and databases stay readable.
 *
 * @example
 * maskSecrets('DATABASE_URL=postgres://app:s3cr@t@db:5432/nova') // 'DATABASE_URL=postgres://app:***@db:5432/nova'
 * maskSecrets("host=db password='a b' dbname=nova")             // "host=db password=*** dbname=nova"
 */

/** What replaces a password. */
export const MASK = '***';

// scheme://user:password@ — the authority ends at the first "/", "?", "#" or white space; the password runs to its last "@".
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:'"`]*):([^\s/?#'"`]*)@/gi;
// password=..., pgpassword=... in connection strings and query strings: a quoted value or a run up to a separator.
const KEY_PASSWORD = /\b((?:pg)?password\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;,'"`]+)/gi;

export function maskSecrets(text: string): string {
  if (!text.includes('@') && !/password/i.test(text)) return text;
  return text
    .replace(URL_PASSWORD, (_, scheme: string, user: string, password: string) => (password === '' || password === MASK ? `${scheme}${user}:${password}@` : `${scheme}${user}:${MASK}@`))
    .replace(KEY_PASSWORD, (_, key: string) => `${key}${MASK}`);
}

/**
 * Builds a neo4j driver from a store URL; credentials may ride in the URL
 * (`neo4j://user:secret@host:7687`) and are moved into basic auth.
 *
 * @example
 * const driver = neo4jDriverFor('bolt://neo4j:secret@localhost:7687')
 */
import neo4j, { type Driver } from 'neo4j-driver';

export function neo4jDriverFor(url: string): Driver {
  const parsed = new URL(url);
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const auth = user ? neo4j.auth.basic(user, password) : undefined;
  return neo4j.driver(parsed.toString().replace(/\/$/, ''), auth, { disableLosslessIntegers: true });
}

/** Backtick-quotes a label or name for Cypher. */
export function cypherName(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * The parse cache: what reading a migration file gave (its statements with
 * their effects, places and diagnostics), kept on disk by content, so the next
 * plan reads again only the files that changed. An entry's key is a digest of
 * the file's bytes, of how it is read (its path, engine, set, substitutions,
 * down-section convention) and of the analyser's version (see
 * analyser-version.ts): a hit is exactly what parsing would give.
 *
 * One pack per topology, `<dir>/parse-<id>.jsonl`: a header line, then one line
 * per file, `<key> <json>`, and one per statement reading the planner made
 * (statement-memo.ts), so a plan of unchanged files loads no parser at all. Opening reads the pack's bytes and finds the keys;
 * an entry's JSON is parsed only when a file asks for it. Statement texts that
 * are plain slices of their file are left out and cut from the file again.
 * Saving appends the entries this plan added, each line in one write, so a plan
 * after an edit writes a few lines, not the whole pack; a reader leaves out a
 * line with no newline, and of two lines with one key the later one counts.
 * When entries no file uses make up more than a fifth of the pack (or the pack
 * is damaged or outdated), saving writes instead a new pack holding only the
 * entries this plan used, to a temporary file renamed over the old one, so two
 * planners at once each leave a whole pack and a reader never sees half of one.
 * A plan that will append lets go of the pack's bytes once its files are read
 * (release()), keeping only the statement readings it may still recall.
 *
 * @example
 * const cache = ParseCache.open('.topoplan/cache', 'topologies/nova-plan-a.yaml');
 * const found = cache.lookup(job, bytes);
 * const source = found.hit ?? parseSource(job, () => bytes);
 * if (!found.hit) cache.store(found.key, bytes, source);
 * cache.save(); // a Diagnostic when the pack could not be written
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../errors.js';
import { analyserVersion } from './analyser-version.js';
import { digestHex } from './digest-hex.js';
import type { ParsedSource, SourceJob } from './parse-source.js';
import type { StatementMemoStore } from './statement-memo.js';

const FORMAT = 'topoplan-parse-cache/1';
/** Packs of topologies no plan has read for this long are removed, and so are temporary files left by a killed planner. */
const STALE_PACK_MS = 30 * 24 * 3600_000;
const STALE_TEMP_MS = 3600_000;
const KEY_LENGTH = 64;
/** How a file's entry starts after its key (a statement reading's is `{"v":` or `{}`). */
const FILE_ENTRY = '{"parsed":';
const NEWLINE = 0x0a;
/** A pack is written anew (pruned) once entries no file uses are more than this share of its bytes. */
const MAX_UNUSED_SHARE = 0.2;
/** Bytes of new lines gathered into one write when a pack is written anew. */
const WRITE_BUFFER = 1 << 20;

/** An entry as stored: the source, with `sliced` set when statement texts were left out. */
interface StoredSource extends ParsedSource {
  readonly sliced?: true;
}

export interface CacheLookup {
  readonly key: string;
  /** The cached parse, when the cache has one for exactly these bytes read this way. */
  readonly hit?: ParsedSource;
}

export class ParseCache implements StatementMemoStore {
  private index = new Map<string, readonly [number, number]>();
  /** Entries this plan used: a line's length when it is in the pack (found by the index), the line when it is new. */
  private readonly kept = new Map<string, number | string>();
  /** The pack's size and number of entries as read, before release(). */
  private readonly packBytes: number;
  private entries = 0;
  private released = false;
  private changed = false;
  /** False when the pack cannot be appended to: missing, outdated, or ending in an unfinished line. */
  private appendable = false;
  hits = 0;
  misses = 0;

  private constructor(
    private readonly dir: string,
    private readonly file: string,
    private readonly version: string,
    private pack: Buffer,
  ) {
    this.packBytes = pack.length;
    this.readIndex();
  }

  /** Opens the pack of one topology (named by its file) in `dir`; a missing, unreadable or outdated pack is an empty cache. */
  static open(dir: string, topologyFile: string): ParseCache {
    const id = createHash('sha256').update(resolve(topologyFile)).digest('hex').slice(0, 16);
    const file = join(dir, `parse-${id}.jsonl`);
    let pack: Buffer;
    try {
      pack = readFileSync(file);
    } catch {
      pack = Buffer.alloc(0);
    }
    return new ParseCache(dir, file, analyserVersion(), pack);
  }

  private readIndex(): void {
    const header = `${FORMAT} ${this.version}\n`;
    if (this.pack.length < header.length || this.pack.toString('utf8', 0, header.length) !== header) {
      this.changed = this.pack.length > 0;
      return;
    }
    this.appendable = this.pack[this.pack.length - 1] === NEWLINE;
    for (let at = header.length; at < this.pack.length; ) {
      const end = this.pack.indexOf(NEWLINE, at);
      // A line without its newline was never finished: leave it out.
      if (end < 0) break;
      if (end - at > KEY_LENGTH + 1 && this.pack[at + KEY_LENGTH] === 0x20) this.index.set(this.pack.toString('latin1', at, at + KEY_LENGTH), [at, end + 1]);
      at = end + 1;
    }
    this.entries = this.index.size;
  }

  /** The key of a file read by `job` with these bytes, and the cached parse if there is one. */
  lookup(job: SourceJob, bytes: Buffer, sha384: string): CacheLookup {
    const { absPath: _, ...how } = job;
    // One string hashed in one call: the bytes (and so the key) of the four updates this once was.
    const key = digestHex('sha256', `${this.version}\0${JSON.stringify(how)}\0${sha384}`);
    const hit = this.decode(key, bytes, sha384);
    if (hit) this.hits++;
    else this.misses++;
    return hit ? { key, hit } : { key };
  }

  private decode(key: string, bytes: Buffer, sha384: string): ParsedSource | undefined {
    const at = this.index.get(key);
    if (!at) return undefined;
    let source: ParsedSource;
    try {
      source = decodeEntry(this.pack.toString('utf8', at[0] + KEY_LENGTH + 1, at[1] - 1), bytes, sha384);
    } catch {
      return undefined;
    }
    this.kept.set(key, at[1] - at[0]);
    return source;
  }

  /** Records what parsing a file gave, for the next plan. */
  store(key: string, bytes: Buffer, source: ParsedSource): void {
    this.storeEntry(key, encodeEntry(bytes, source));
  }

  /** Records a file's entry already encoded (by encodeEntry(), in a parse worker): it goes to the pack as it is. */
  storeEntry(key: string, entry: string): void {
    this.kept.set(key, `${key} ${entry}\n`);
    this.changed = true;
  }

  /** A statement reading kept by the last plan (see statement-memo.ts): a line `<key> {"v": value}`. */
  recall(key: string): { readonly value: unknown } | undefined {
    const at = this.index.get(key);
    if (!at) return undefined;
    let stored: { v?: unknown };
    try {
      stored = JSON.parse(this.pack.toString('utf8', at[0] + KEY_LENGTH + 1, at[1] - 1)) as { v?: unknown };
    } catch {
      return undefined;
    }
    this.kept.set(key, at[1] - at[0]);
    return { value: stored.v };
  }

  remember(key: string, value: unknown): void {
    this.kept.set(key, `${key} ${JSON.stringify({ v: value })}\n`);
    this.changed = true;
  }

  /**
   * Writes the pack if this plan changed it: appends the entries it added, or writes the entries it used, nothing else.
   * A cache that cannot be written costs only speed: the problem comes back as a warning.
   */
  save(): Diagnostic | undefined {
    if (!this.changed && this.kept.size === this.entries) {
      // Still in use: not stale.
      try {
        const now = new Date();
        utimesSync(this.file, now, now);
      } catch {
        // Nothing to keep fresh (an empty cache that stayed empty).
      }
      return undefined;
    }
    try {
      if (this.appends()) this.append();
      else this.rewrite();
    } catch (e) {
      return diagnostic({
        code: 'plan.cache_unwritable',
        severity: 'warning',
        message: `plan: cannot write the parse cache "${this.file}": ${e instanceof Error ? e.message : String(e)}; the plan is complete, the next one parses every file again`,
        file: this.file,
        hint: 'make the directory writable, name another with --cache-dir (cacheDir in the library), or plan with --no-cache',
      });
    }
    this.removeStale();
    return undefined;
  }

  /**
   * Lets go of the pack's bytes once every file has been looked up, when saving will only append to it: they
   * are most of the cache's memory, held otherwise through planning. The lines of statement readings are kept
   * (copied), so recall() still finds them; lookup() finds no file after this.
   */
  release(): void {
    if (this.released || !this.appends()) return;
    const index = new Map<string, readonly [number, number]>();
    const parts: Buffer[] = [];
    let size = 0;
    for (const [key, [start, end]] of this.index) {
      if (this.kept.has(key) || this.pack.toString('latin1', start + KEY_LENGTH + 1, start + KEY_LENGTH + FILE_ENTRY.length + 1) === FILE_ENTRY) continue;
      parts.push(this.pack.subarray(start, end));
      index.set(key, [size, size + end - start]);
      size += end - start;
    }
    this.pack = Buffer.concat(parts);
    this.index = index;
    this.released = true;
  }

  /** Whether saving appends: always once released, else when the pack can be appended to and holds little that is unused. */
  private appends(): boolean {
    return this.released || (this.appendable && this.unusedBytes() <= MAX_UNUSED_SHARE * this.packBytes);
  }

  /** Bytes of the pack this plan did not use: entries of files that changed or went, damaged lines. */
  private unusedBytes(): number {
    let used = `${FORMAT} ${this.version}\n`.length;
    for (const line of this.kept.values()) if (typeof line === 'number') used += line;
    return this.packBytes - used;
  }

  /** The entries this plan added, at the end of the pack: one write per line, so lines of two planners never mix. */
  private append(): void {
    const fresh = [...this.kept.values()].filter((line): line is string => typeof line === 'string');
    if (fresh.length === 0) {
      // Only entries no file uses any more: the pack is still in use, so not stale.
      const now = new Date();
      utimesSync(this.file, now, now);
      return;
    }
    const fd = openSync(this.file, 'a');
    try {
      for (const line of fresh) {
        const bytes = Buffer.from(line);
        // A line written in part is left unfinished at the end: the next plan writes the pack anew.
        if (writeSync(fd, bytes) !== bytes.length) throw new Error(`an entry was written in part`);
      }
    } finally {
      closeSync(fd);
    }
  }

  /** A new pack of the entries this plan used, in key order, renamed over the old one. */
  private rewrite(): void {
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      // New lines go through one reused buffer: a Buffer made for each line cost three times as much.
      const fd = openSync(temp, 'w');
      try {
        const out = new PackWriter(fd);
        out.line(`${FORMAT} ${this.version}\n`);
        let run: Buffer | undefined;
        for (const key of [...this.kept.keys()].sort()) {
          const line = this.kept.get(key)!;
          if (typeof line === 'string') {
            if (run) out.bytes(run);
            run = undefined;
            out.line(line);
            continue;
          }
          const at = this.index.get(key)!;
          // The old pack is in key order too: entries kept from it are long runs of it, written as one.
          if (run && run.byteOffset + run.length === this.pack.byteOffset + at[0]) run = this.pack.subarray(run.byteOffset - this.pack.byteOffset, at[1]);
          else {
            if (run) out.bytes(run);
            run = this.pack.subarray(at[0], at[1]);
          }
        }
        if (run) out.bytes(run);
        out.flush();
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.file);
    } catch (e) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // No temporary file was made.
      }
      throw e;
    }
  }

  /** Packs no plan has written for a month, and temporary files a killed planner left. */
  private removeStale(): void {
    const now = Date.now();
    for (const name of readdirSync(this.dir).filter((n) => n.startsWith('parse-'))) {
      const path = join(this.dir, name);
      try {
        const age = now - statSync(path).mtimeMs;
        if (name.endsWith('.tmp') ? age > STALE_TEMP_MS : age > STALE_PACK_MS) rmSync(path, { force: true });
      } catch {
        // Removed by another planner meanwhile.
      }
    }
  }
}

/**
 * A file's entry as the pack holds it after its key: the JSON of the source without its digest, with `sliced` set
 * and statement texts left out when each is its own slice of the file's bytes (an ASCII file without
 * substitutions). Statements are blanked in place while encoded and, unless `discard`, put back (the plan goes
 * on with them): copying every statement to blank it cost more.
 */
export function encodeEntry(bytes: Buffer, source: ParsedSource, discard = false): string {
  const { sha384: _, ...rest } = source;
  const text = bytes.toString('latin1');
  const statements = rest.parsed.statements as readonly { sql: string; readonly start: number; readonly end: number }[];
  const sliceable = statements.length > 0 && statements.every((s) => s.sql === text.slice(s.start, s.end));
  if (!sliceable) return JSON.stringify(rest);
  const texts = discard ? [] : statements.map((s) => s.sql);
  for (const s of statements) s.sql = '';
  try {
    return JSON.stringify({ ...rest, sliced: true });
  } finally {
    if (!discard) statements.forEach((s, i) => (s.sql = texts[i]!));
  }
}

/** The source an entry (see encodeEntry()) holds, for the file with these bytes and digest; throws when it is not JSON. */
export function decodeEntry(entry: string, bytes: Buffer, sha384: string): ParsedSource {
  const { sliced, ...source } = JSON.parse(entry) as StoredSource;
  if (sliced) {
    const text = bytes.toString('latin1');
    for (const s of source.parsed.statements) (s as { sql: string }).sql = text.slice(s.start, s.end);
  }
  return { ...source, sha384 };
}

/** Writes a pack's lines through one buffer, and runs of an old pack as they are. */
class PackWriter {
  private readonly buffer = Buffer.allocUnsafe(WRITE_BUFFER);
  private used = 0;
  constructor(private readonly fd: number) {}

  line(text: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.used + 3 * text.length > this.buffer.length) this.flush();
    if (3 * text.length > this.buffer.length) this.write(Buffer.from(text));
    else this.used += this.buffer.write(text, this.used);
  }

  bytes(part: Buffer): void {
    this.flush();
    this.write(part);
  }

  flush(): void {
    if (this.used > 0) this.write(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private write(part: Buffer): void {
    // A file written in part would be a pack with a damaged end, which costs the next plan only speed; still, say so.
    if (writeSync(this.fd, part) !== part.length) throw new Error('the pack was written in part');
  }
}

/**
 * Parses many migration files on every core: the calling thread and a few
 * worker threads take batches of files from one queue until it is empty, so
 * a slow batch never holds the others back. Results come back in the order
 * of the jobs, so the plan is the same whatever the thread count. A worker
 * that cannot start or fails hands its batch back; the calling thread then
 * parses it itself, and a real error (an unreadable file) surfaces there
 * exactly as without workers. Small inputs do not start workers at all.
 * The PostgreSQL parser is loaded at the first file that is not in the cache.
 *
 * @example
 * const parsed = await parseSources(jobs, { workers: 3 });
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseSource, type ParsedSource, type ReadFile, type SourceJob } from './parse-source.js';
import type { EncodedSource, WorkerReply, WorkerRequest } from './parse-worker.js';
import { decodeEntry, type ParseCache } from './parse-cache.js';
import { loadPostgresParser } from './postgres/pg-parser.js';
import { digestHex } from './digest-hex.js';

/** Files per batch: small enough to balance two threads, large enough that messages are few. */
const BATCH = 32;
/**
 * Below this many files, starting a worker costs more than it saves: measured
 * on 2 cores, 600 files plan in 220 ms on one thread and 330 ms with a worker;
 * at 2,000 files the two are even, at 20,000 the worker saves 7%.
 */
const MIN_FILES_FOR_WORKERS = 2000;
/** Batches a worker holds at once: the one it parses and the next. */
const IN_FLIGHT = 2;

export interface ParsePoolOptions {
  /** Worker threads besides the calling one; default one per spare core (at most 7); 0 parses on this thread only. */
  readonly workers?: number;
  /** Custom file reader: cannot cross threads, so everything is parsed on this thread. */
  readonly readFile?: ReadFile;
  /** False leaves all batches to the workers (the calling thread only steps in when they fail); default true. */
  readonly callerParses?: boolean;
  /** Files whose parse it holds are not parsed again; what is parsed goes into it (see parse-cache.ts). */
  readonly cache?: ParseCache;
}

export interface ParsedSources {
  /** One per job, in the order of the jobs. */
  readonly sources: ParsedSource[];
  /** How many files the workers parsed. */
  readonly byWorkers: number;
  /** Filling a cache: the cache entries workers made, by job (none for files parsed on the calling thread). */
  readonly entries?: (string | undefined)[];
}

export function defaultParseWorkers(): number {
  return Math.max(0, Math.min(availableParallelism() - 1, 7));
}

export async function parseSources(jobs: readonly SourceJob[], options: ParsePoolOptions = {}): Promise<ParsedSources> {
  const { cache } = options;
  if (!cache) return parseAll(jobs, options);
  const read = options.readFile ?? ((p: string) => readFileSync(p));
  const results: ParsedSource[] = new Array(jobs.length);
  const missing: { readonly at: number; readonly key: string; readonly bytes: Buffer; readonly sha384: string }[] = [];
  jobs.forEach((job, at) => {
    const bytes = read(job.absPath);
    const sha384 = digestHex('sha384', bytes);
    const found = cache.lookup(job, bytes, sha384);
    if (found.hit) results[at] = found.hit;
    else missing.push({ at, key: found.key, bytes, sha384 });
  });
  const parsed = await parseAll(
    missing.map((m) => jobs[m.at]!),
    options,
    missing,
  );
  parsed.sources.forEach((source, k) => {
    const m = missing[k]!;
    results[m.at] = source;
    const entry = parsed.entries?.[k];
    if (entry !== undefined) cache.storeEntry(m.key, entry);
    else cache.store(m.key, m.bytes, source);
  });
  return { sources: results, byWorkers: parsed.byWorkers };
}

/** `read`, when given, are the jobs' files already read and hashed: the calling thread parses them without reading or hashing again. */
async function parseAll(jobs: readonly SourceJob[], options: ParsePoolOptions, read?: readonly { readonly bytes: Buffer; readonly sha384: string }[]): Promise<ParsedSources> {
  const readerOf = (i: number): ReadFile | undefined => (read ? () => read[i]!.bytes : options.readFile);
  // The parser is loaded only when there is a file to parse: a plan of cached files never loads it.
  if (jobs.length > 0) await loadPostgresParser();
  const parseAt = (i: number) => parseSource(jobs[i]!, readerOf(i), false, read?.[i]!.sha384);
  const results: ParsedSource[] = new Array(jobs.length);
  const workers = options.workers ?? defaultParseWorkers();
  if (workers <= 0 || options.readFile || jobs.length < MIN_FILES_FOR_WORKERS) {
    for (let i = 0; i < jobs.length; i++) results[i] = parseAt(i);
    return { sources: results, byWorkers: 0 };
  }
  let byWorkers = 0;
  const entries: (string | undefined)[] | undefined = read ? new Array(jobs.length) : undefined;
  const queue: number[] = [];
  for (let b = 0; b * BATCH < jobs.length; b++) queue.push(b);
  const range = (b: number) => [b * BATCH, Math.min(jobs.length, (b + 1) * BATCH)] as const;
  const runHere = (b: number) => {
    const [from, to] = range(b);
    for (let i = from; i < to; i++) results[i] = parseAt(i);
  };
  const driven = Array.from({ length: Math.min(workers, queue.length) }, () =>
    drive(startWorker(), queue, (b) => {
      const [from, to] = range(b);
      return { batch: b, jobs: jobs.slice(from, to), ...(read ? { files: read.slice(from, to).map((r) => ({ bytes: r.bytes, sha384: r.sha384 })) } : {}) };
    }, (b, reply) => {
      const [from] = range(b);
      if (reply.type === 'done') {
        const parsed = decode(reply.json);
        parsed.forEach((p, k) => (results[from + k] = p));
        byWorkers += parsed.length;
        return;
      }
      // Decoded as a cache hit is, from the bytes this thread read: the entry is stored as it came.
      const batch = reply.entries.split('\n');
      batch.forEach((entry, k) => {
        results[from + k] = decodeEntry(entry, read![from + k]!.bytes, read![from + k]!.sha384);
        entries![from + k] = entry;
      });
      byWorkers += batch.length;
    }),
  );
  if (options.callerParses !== false) {
    for (let b = queue.shift(); b !== undefined; b = queue.shift()) {
      runHere(b);
      // Let worker replies in, and hand them their next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Nothing is left to hand out: a worker still starting, or between batches, is not waited for.
    for (const d of driven) d.stopIfIdle();
  }
  await Promise.all(driven.map((d) => d.stopped));
  // Batches given back by workers that failed.
  for (let b = queue.shift(); b !== undefined; b = queue.shift()) runHere(b);
  return { sources: results, byWorkers, ...(entries ? { entries } : {}) };
}

/**
 * Feeds one worker batches until the queue is empty, two at a time: the next
 * batch waits in the worker's inbox while it parses one, so it never waits for
 * this thread, busy with a batch of its own, to hand it more (it waited about
 * a third of the time). `stopped` resolves when it has stopped; `stopIfIdle`
 * stops it at once unless it holds a batch.
 */
function drive(
  worker: Worker,
  queue: number[],
  requestOf: (b: number) => WorkerRequest,
  store: (b: number, reply: Extract<WorkerReply, { type: 'done' | 'entries' }>) => void,
): { stopped: Promise<void>; stopIfIdle: () => void } {
  /** Batches sent and not yet answered, in the order they were sent (the order the worker answers in). */
  const held: number[] = [];
  let stop: (giveBack: boolean) => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    let done = false;
    stop = (giveBack: boolean) => {
      if (done) return;
      done = true;
      if (giveBack) queue.unshift(...held);
      held.length = 0;
      // A terminated worker stays referenced until it has exited, after planning has returned: its listeners
      // would keep this closure's scope, and through it every file parsed (the results), alive until then.
      worker.removeAllListeners();
      worker.on('error', ignore);
      void worker.terminate();
      resolve();
    };
    const feed = () => {
      while (held.length < IN_FLIGHT) {
        const next = queue.shift();
        if (next === undefined) break;
        held.push(next);
        worker.postMessage(requestOf(next));
      }
      if (held.length === 0) stop(false);
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') return feed();
      if (reply.type === 'failed') return stop(true);
      held.splice(held.indexOf(reply.batch), 1);
      store(reply.batch, reply);
      feed();
    });
    worker.on('error', () => stop(true));
    worker.on('exit', () => stop(true));
  });
  return { stopped, stopIfIdle: () => { if (held.length === 0) stop(false); } };
}

/** Listens to a stopped worker: what it says after stop() changes nothing, and an unheard 'error' would throw. */
function ignore(): void {}

/** Puts back statement texts a worker left out (see parse-worker.ts). */
function decode(json: string): ParsedSource[] {
  const sources = JSON.parse(json) as EncodedSource[];
  return sources.map(({ text, ...source }) => {
    if (text === undefined) return source;
    for (const s of source.parsed.statements) (s as { sql: string }).sql = text.slice(s.start, s.end);
    return source;
  });
}

/** From sources (tests, the CLI through tsx) the worker is TypeScript and needs tsx's loader; built, it is plain JS. */
function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', self));
  // The loader's ES module entry, found next to the CommonJS one that `require.resolve` can name.
  const tsx = pathToFileURL(createRequire(self).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./parse-worker.ts', self).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(entry)}));`, { eval: true });
}

/**
 * A parse worker: loads the parsers once, then answers each batch of
 * migration files with their parses, in order. Replies are JSON text, which
 * crosses threads as one string and parses faster than a structured clone of
 * many small objects; statement texts are not repeated when they are plain
 * slices of their file (see parse-pool.ts, which rebuilds them). When the
 * request carries the files (the bytes the calling thread read, and their
 * digests), a plan is filling the parse cache: each file comes back as its
 * cache entry (see parse-cache.ts encodeEntry()), made from those bytes, which
 * the calling thread decodes and stores as it is, never encoding it again.
 */
import { parentPort } from 'node:worker_threads';
import { encodeEntry } from './parse-cache.js';
import { loadParsers } from './parse-file.js';
import { parseSource, type ParsedSource, type SourceJob } from './parse-source.js';

/** `files`: the jobs' files as the calling thread read them, when their parses go to the parse cache (a Buffer arrives as a Uint8Array). */
export type WorkerRequest = { readonly batch: number; readonly jobs: readonly SourceJob[]; readonly files?: readonly ReadSource[] };
export type ReadSource = { readonly bytes: Uint8Array; readonly sha384: string };
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly batch: number; readonly json: string }
  /** The cache entries of the batch's files, in order, one per line (an entry's JSON has no newline). */
  | { readonly type: 'entries'; readonly batch: number; readonly entries: string }
  | { readonly type: 'failed'; readonly batch: number; readonly message: string };

/** One file as sent back: its text when statements were elided, so the caller can slice them out again. */
export interface EncodedSource extends ParsedSource {
  readonly text?: string;
}

const port = parentPort!;
await loadParsers();
port.on('message', (req: WorkerRequest) => {
  try {
    if (req.files) {
      port.postMessage({ type: 'entries', batch: req.batch, entries: req.jobs.map((j, i) => entryOf(j, req.files![i]!)).join('\n') } satisfies WorkerReply);
      return;
    }
    const out = req.jobs.map((j) => encode(parseSource(j, undefined, true)));
    port.postMessage({ type: 'done', batch: req.batch, json: JSON.stringify(out) } satisfies WorkerReply);
  } catch (e) {
    port.postMessage({ type: 'failed', batch: req.batch, message: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
  }
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);

/**
 * In an ASCII file, byte offsets are string offsets: each statement's text is `text.slice(start, end)`.
 * The parse is this worker's own and goes once it is sent: its statements are blanked in place, not copied.
 */
function encode(source: ParsedSource & { text?: string }): EncodedSource {
  const { text, ...rest } = source;
  if (text === undefined || Buffer.byteLength(text) !== text.length) return rest;
  for (const s of source.parsed.statements) (s as { sql: string }).sql = '';
  return { ...rest, text };
}

/** A file's cache entry, parsed from the bytes the calling thread read; the parse is this worker's own and goes once it is encoded. */
function entryOf(job: SourceJob, file: ReadSource): string {
  const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
  return encodeEntry(bytes, parseSource(job, () => bytes, false, file.sha384), true);
}

/**
 * A parse worker: loads the parsers once, then answers each batch of
 * migration files with their parses, in order. Replies are JSON text, which
 * crosses threads as one string and parses faster than a structured clone of
 * many small objects; statement texts are not repeated when they are plain
 * slices of their file (see parse-pool.ts, which rebuilds them).
 */
import { parentPort } from 'node:worker_threads';
import { loadParsers } from './parse-file.js';
import { parseSource, type ParsedSource, type SourceJob } from './parse-source.js';

export type WorkerRequest = { readonly batch: number; readonly jobs: readonly SourceJob[] };
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly batch: number; readonly json: string }
  | { readonly type: 'failed'; readonly batch: number; readonly message: string };

/** One file as sent back: its text when statements were elided, so the caller can slice them out again. */
export interface EncodedSource extends ParsedSource {
  readonly text?: string;
}

const port = parentPort!;
await loadParsers();
port.on('message', (req: WorkerRequest) => {
  try {
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

/**
 * The CLI's only doors to the outside: writing output (to standard output
 * or an `--out` file), printing diagnostics, and turning any error into one
 * clear message and an exit code (0 ok, 1 conflicts or invalid input or a
 * failed apply, 2 usage). No input produces a stack trace: unexpected errors
 * say they are a bug and how to see where (TOPOPLAN_DEBUG=1).
 */
import { closeSync, openSync, writeFileSync } from 'node:fs';
import pc from 'picocolors';
import { diagnostic, formatDiagnostic, TopoplanError, type Diagnostic } from '../errors.js';
import { maskSecrets } from '../mask-secrets.js';
import type { CliContext } from './cli-context.js';
import { prettyJsonChunks } from './pretty-json-chunks.js';

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** Writes a command's output to `out` (a file) or standard output, passwords masked either way. */
export function emit(ctx: CliContext, text: string, out?: string): void {
  emitParts(ctx, [text], out);
}

/** Bytes of JSON gathered into one write. */
const JSON_WRITE = 1 << 16;

/**
 * emit() of `JSON.stringify(value, null, 2)` and a newline, made and written in pieces of about 64 KB
 * (see pretty-json-chunks.ts): a plan's JSON, some 100 MB at 1,000 services, is never one string.
 */
export function emitJson(ctx: CliContext, value: unknown, out?: string): void {
  emitParts(ctx, gathered(prettyJsonChunks(value), '\n'), out);
}

function* gathered(chunks: Iterable<string>, last: string): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const c of chunks) {
    parts.push(c);
    size += c.length;
    if (size < JSON_WRITE) continue;
    yield parts.join('');
    parts = [];
    size = 0;
  }
  parts.push(last);
  yield parts.join('');
}

function emitParts(ctx: CliContext, parts: Iterable<string>, out: string | undefined): void {
  if (!out) {
    for (const p of parts) ctx.out(p);
    return;
  }
  try {
    const fd = openSync(out, 'w');
    try {
      for (const p of parts) writeFileSync(fd, maskSecrets(p));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new TopoplanError('cli.out', `topoplan: cannot write --out "${out}": ${systemReason(e)}`, [
      diagnostic({ code: 'cli.out', severity: 'error', message: `topoplan: cannot write --out "${out}": ${systemReason(e)}`, file: out, hint: 'choose a path in a directory that exists and that you can write to' }),
    ]);
  }
}

export function printDiagnostics(ctx: CliContext, ds: readonly Diagnostic[]): void {
  const c = pc.createColors(ctx.colorErr);
  for (const d of ds) {
    const colour = d.severity === 'error' ? c.red : d.severity === 'warning' ? c.yellow : c.dim;
    ctx.err(colour(formatDiagnostic(d)) + '\n');
  }
}

/** The diagnostics a thrown error stands for (one made from its message when it carries none). */
export function diagnosticsOf(e: unknown): Diagnostic[] {
  if (e instanceof TopoplanError) return e.diagnostics.length ? [...e.diagnostics] : [{ code: e.code, severity: 'error', message: e.message }];
  return [{ code: 'internal', severity: 'error', message: `topoplan: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` }];
}

/** Turns a thrown error into output and an exit code. */
export function failure(ctx: CliContext, e: unknown): number {
  if (e instanceof TopoplanError) {
    printDiagnostics(ctx, e.diagnostics.length ? e.diagnostics : [{ code: e.code, severity: 'error', message: e.message }]);
    const errors = e.diagnostics.filter((d) => d.severity === 'error').length;
    if (errors > 1) ctx.err(`${e.message.split(':')[0]}: failed with ${errors} errors\n`);
    return e.code === 'cli.usage' ? EXIT_USAGE : EXIT_PROBLEMS;
  }
  const err = e as NodeJS.ErrnoException | undefined;
  if (err && typeof err.code === 'string' && typeof err.syscall === 'string') {
    ctx.err(`topoplan: ${err.syscall}${err.path ? ` "${err.path}"` : ''} failed: ${systemReason(err)}\n  hint: check the path and its permissions\n`);
    return EXIT_PROBLEMS;
  }
  const what = e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
  const debug = ctx.env.TOPOPLAN_DEBUG && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  ctx.err(`topoplan: internal error: ${what}${debug}\n  hint: this is a bug in topoplan, not in your input; run again with TOPOPLAN_DEBUG=1 to see where it happened, and report it\n`);
  return EXIT_PROBLEMS;
}

/** A system error in words: "no such file or directory", "permission denied", ... */
export function systemReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    ENOSPC: 'no space left on the device',
    EROFS: 'the file system is read-only',
    EEXIST: 'it exists already',
  };
  return (code && words[code]) ?? (e instanceof Error ? e.message : String(e));
}

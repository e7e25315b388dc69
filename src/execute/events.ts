/**
 * What applying reports while it runs. The library emits these; the CLI
 * renders them (a live list in a terminal, plain lines, or JSON lines).
 */
import type { BackupFile } from '../engines/engine.js';
import type { StepResult } from './step-result.js';
import type { VerifyResult } from './verify.js';

export type ApplyEvent =
  | { readonly type: 'start'; readonly steps: number; readonly stores: readonly string[] }
  | { readonly type: 'engine'; readonly store: string; readonly message: string }
  | { readonly type: 'locked'; readonly store: string }
  | { readonly type: 'step-start'; readonly step: string; readonly store: string }
  | { readonly type: 'step-done'; readonly result: StepResult }
  /** A backup taken before a destructive step: its directory (with `manifest.json`), its objects, and what it could not keep. */
  | { readonly type: 'backup'; readonly store: string; readonly step: string; readonly dir: string; readonly files: readonly BackupFile[]; readonly notBackedUp: readonly string[] }
  | { readonly type: 'verify'; readonly result: VerifyResult }
  | { readonly type: 'done'; readonly ok: boolean };

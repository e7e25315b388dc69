/**
 * `topoplan diff A B --schema`: the Nova example's committed schemas side by
 * side as text and Markdown, the exit code, and the error when a topology has
 * no schema files yet.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const a = join(repo, 'topologies', 'nova-plan-a.yaml');
const b = join(repo, 'topologies', 'nova-plan-b.yaml');

describe('diff --schema', () => {
  it('lists every object that moves or changes with its stores in A and B, what changed, and a count of the rest; exit 2 with --detailed-exitcode', async () => {
    const run = await cli(['diff', a, b, '--schema', '--detailed-exitcode']);
    expect(run.err).toBe('');
    expect(run.code).toBe(2);
    expect((await cli(['diff', a, b, '--schema'])).code).toBe(0);
    const lines = run.out.split('\n');
    expect(lines[0]).toMatch(/^schema: nova-plan-a \(.*topologies\/schema\/nova-plan-a\) vs nova-plan-b \(.*topologies\/schema\/nova-plan-b\)$/);
    expect(lines[1]).toMatch(/^ {4}object +A {5}B$/);
    expect(run.out).toMatch(/\n {2}→ table public\.likes +nova {2}nova_social\n/);
    expect(run.out).toMatch(/\n {2}~ table public\.messages +nova {2}nova_chat\n {8}constraint "messages_sender_id_fkey" removed \(FOREIGN KEY \(sender_id\) REFERENCES users\(id\)\)\n/);
    expect(run.out).toMatch(/\n {2}→ function public\.update_updated_at_column\(\) +nova {2}nova, nova_features\n/);
    // Objects in the same store with the same definition are counted, not listed.
    expect(run.out).not.toContain('table public.users ');
    expect(lines.at(-2)).toBe('schema: 75 objects: 54 move, 6 change, 0 only in nova-plan-a, 0 only in nova-plan-b, 21 the same in the same stores');
    const same = await cli(['diff', a, a, '--schema']);
    expect(same.code).toBe(0);
    expect(same.out).toMatch(/\nschema: 75 objects: 0 move, 0 change, .* 75 the same in the same stores\n$/);
  });

  it('as Markdown, one table row per object; as JSON, the comparison', async () => {
    const md = await cli(['diff', a, b, '--schema', '--format', 'markdown']);
    expect(md.out).toContain('| | object | nova-plan-a | nova-plan-b | what changes |\n|---|---|---|---|---|\n');
    expect(md.out).toContain('| ~ | `table public.messages` | nova | nova_chat | constraint "messages_sender_id_fkey" removed (FOREIGN KEY (sender_id) REFERENCES users(id)) |\n');
    const json = JSON.parse((await cli(['diff', a, b, '--schema', '--format', 'json'])).out) as { identical: boolean; objects: { name: string; b: string[] }[] };
    expect(json.identical).toBe(false);
    expect(json.objects.find((o) => o.name === 'public.shares')!.b).toEqual(['nova_social']);
  });

  it('a topology without schema files is an error that says how to write them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-diff-schema-'));
    const lone = join(dir, 'lone.yaml');
    writeFileSync(lone, `topoplan: 1\nname: lone\nextends: ${a}\nroot: ${join(repo, 'examples', 'nova')}\n`);
    const run = await cli(['diff', a, lone, '--schema']);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toContain(`diff: topology "lone" (${lone}) has no schema files in "${join(dir, 'schema', 'lone')}"; write them with \`topoplan check ${lone} --update\``);
  });
});

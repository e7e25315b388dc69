import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { renderPlanDot, renderPlanMermaid } from '../../../src/render/plan-graph.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

describe('plan graphs', async () => {
  const { topologyFile } = makeProject(
    {
      'accounts/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
      'accounts/002_posts.sql': 'CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n',
      'social/001_likes.sql': 'CREATE TABLE likes (post_id bigint REFERENCES posts (id), user_id bigint REFERENCES users (id));\n',
    },
    pgTopology({ sets: { accounts: { dir: 'accounts' }, social: { dir: 'social' } }, services: { accounts: { stores: { postgres: 'main' }, sets: ['accounts'], owns: ['users', 'posts'] }, social: { stores: { postgres: 'main' }, sets: ['social'], owns: ['likes'] } } }),
  );
  const plan = await planMigration(topologyFile);
  const id = (file: string) => plan.steps.find((s) => s.source?.file.endsWith(file))!.id;

  it('the plan itself has the implied edge users → likes that the drawings leave out', () => {
    expect(plan.edges.some((x) => x.from === id('001_users.sql') && x.to === id('001_likes.sql'))).toBe(true);
  });

  it('DOT: set names in labels, only direct edges, a legend', () => {
    const dot = renderPlanDot(plan);
    expect(dot).toContain('label="accounts: 001_users.sql#1\\ncreate users"');
    expect(dot).toContain('label="social: 001_likes.sql#1\\ncreate likes"');
    expect(dot).toContain(`"${id('002_posts.sql')}" -> "${id('001_likes.sql')}"`);
    expect(dot).not.toContain(`"${id('001_users.sql')}" -> "${id('001_likes.sql')}"`);
    expect(dot).toContain('subgraph "cluster_legend"');
    expect(dot).toContain('contract step (destroys data)');
  });

  it('Mermaid: the same reduction and a legend', () => {
    const mermaid = renderPlanMermaid(plan);
    const node = (file: string) => `s${plan.steps.findIndex((s) => s.source?.file.endsWith(file))}`;
    expect(mermaid).toContain(`["social: 001_likes.sql#1<br/>create likes"]`);
    expect(mermaid).toMatch(new RegExp(`${node('002_posts.sql')} -->\\|"[^"]*"\\| ${node('001_likes.sql')}`));
    expect(mermaid).not.toMatch(new RegExp(`${node('001_users.sql')} -->\\|"[^"]*"\\| ${node('001_likes.sql')}`));
    expect(mermaid).toContain('subgraph legend["legend"]');
  });
});

import { DataSource } from 'typeorm';
import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { storeOptions } from '../../../src/store-entities';
import { storeTable } from '../../../src/infrastructure/database/migrations/store-table';
import { tableName } from '../../utils/store-dump';

/**
 * What must hold in the stores whatever clients sent and whenever the server died: counts
 * that match their rows, no row pointing at a missing row, no post without its author
 * columns. Each check is one SQL query answering the offending rows; `checkStoreInvariants`
 * returns a description of every violation (empty when all hold).
 */
interface Check {
  store: 'content' | 'identity';
  name: string;
  sql: (t: (entity: string) => string) => string;
}

const CHECKS: Check[] = [
  {
    store: 'content',
    name: "a thread's comment_count differs from its published comments",
    sql: (t) => `SELECT th.id, th.comment_count,
      (SELECT COUNT(*) FROM ${t('comments')} c WHERE c.thread_id = th.id AND c.status = 'PUBLISHED') AS published
      FROM ${t('threads')} th
      WHERE th.comment_count <> (SELECT COUNT(*) FROM ${t('comments')} c WHERE c.thread_id = th.id AND c.status = 'PUBLISHED')`,
  },
  {
    store: 'content',
    name: "a thread's score differs from the sum of its votes",
    sql: (t) => `SELECT th.id, th.score FROM ${t('threads')} th
      WHERE th.score <> (SELECT COALESCE(SUM(v.value), 0) FROM ${t('votes')} v WHERE v.target_id = th.id)`,
  },
  {
    store: 'content',
    name: "a poll's voter count differs from the people who voted in it",
    sql: (t) => `SELECT p.id, p.voter_count FROM ${t('polls')} p
      WHERE p.voter_count <> (SELECT COUNT(DISTINCT v.voter_token) FROM ${t('poll_votes')} v WHERE v.poll_id = p.id)`,
  },
  {
    store: 'content',
    name: "a poll option's count differs from the votes that chose it",
    sql: (t) => `SELECT o.id, o.votes FROM ${t('poll_options')} o
      WHERE o.votes <> (SELECT COUNT(*) FROM ${t('poll_votes')} v WHERE v.poll_id = o.poll_id AND v.option_id = o.id)`,
  },
  {
    store: 'content',
    name: 'a single-choice poll vote with more than one option',
    sql: (t) => `SELECT v.poll_id, v.voter_token FROM ${t('poll_votes')} v
      JOIN ${t('polls')} p ON p.id = v.poll_id
      WHERE NOT p.multiple_choice GROUP BY v.poll_id, v.voter_token HAVING COUNT(*) > 1`,
  },
  {
    store: 'content',
    name: "a comment's score differs from the sum of its votes",
    sql: (t) => `SELECT c.id, c.score FROM ${t('comments')} c
      WHERE c.score <> (SELECT COALESCE(SUM(v.value), 0) FROM ${t('votes')} v WHERE v.target_id = c.id)`,
  },
  {
    store: 'content',
    name: 'a vote whose target does not exist',
    sql: (t) => `SELECT v.target_id FROM ${t('votes')} v
      WHERE NOT EXISTS (SELECT 1 FROM ${t('threads')} th WHERE th.id = v.target_id)
        AND NOT EXISTS (SELECT 1 FROM ${t('comments')} c WHERE c.id = v.target_id)`,
  },
  {
    store: 'content',
    name: 'a vote value other than -1, 0, 1',
    sql: (t) => `SELECT v.target_id, v.value FROM ${t('votes')} v WHERE v.value NOT IN (-1, 0, 1)`,
  },
  {
    store: 'content',
    name: 'a comment whose thread does not exist',
    sql: (t) => `SELECT c.id FROM ${t('comments')} c
      WHERE NOT EXISTS (SELECT 1 FROM ${t('threads')} th WHERE th.id = c.thread_id)`,
  },
  {
    store: 'content',
    name: 'a reply whose parent is missing, in another thread, or itself a reply',
    sql: (t) => `SELECT c.id FROM ${t('comments')} c WHERE c.parent_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM ${t('comments')} p WHERE p.id = c.parent_id AND p.thread_id = c.thread_id AND p.parent_id IS NULL)`,
  },
  {
    store: 'content',
    name: 'a thread whose board does not exist',
    sql: (t) => `SELECT th.id FROM ${t('threads')} th
      WHERE NOT EXISTS (SELECT 1 FROM ${t('boards')} b WHERE b.id = th.board_id)`,
  },
  {
    store: 'content',
    name: 'a post without its author columns (half-written)',
    sql: (t) =>
      ['threads', 'comments']
        .map(
          (
            table,
          ) => `SELECT p.id FROM ${t(table)} p WHERE p.author_handle = '' OR p.author_label = ''
          OR p.author_token = '' OR p.sealed_ref = '' OR p.author_handle IS NULL OR p.sealed_ref IS NULL
          OR p.status NOT IN ('PUBLISHED', 'HELD', 'DELETED', 'REJECTED', 'REMOVED')`,
        )
        .join(' UNION ALL '),
  },
  {
    store: 'content',
    name: "a post whose handle is not its author's in the thread (two people share one, or one has two)",
    sql: (t) =>
      [
        ['threads', 'p.id'],
        ['comments', 'p.thread_id'],
      ]
        .map(
          ([table, thread]) => `SELECT p.id FROM ${t(table)} p WHERE NOT EXISTS (
          SELECT 1 FROM ${t('thread_handles')} h
          WHERE h.thread_id = ${thread} AND h.handle = p.author_handle AND h.author_token = p.author_token)`,
        )
        .join(' UNION ALL '),
  },
  {
    store: 'content',
    name: 'a post without exactly one own-post slot (half-written, or two posts of one member took one slot)',
    sql: (t) =>
      ['threads', 'comments']
        .map(
          (table) => `SELECT p.id FROM ${t(table)} p
          WHERE (SELECT COUNT(*) FROM ${t('own_post_slots')} s WHERE s.post_id = p.id) <> 1`,
        )
        .join(' UNION ALL '),
  },
  {
    store: 'content',
    name: 'a thread not deleted without its search index row, or an index row of a deleted or missing thread',
    sql: (t) => `SELECT th.id FROM ${t('threads')} th WHERE th.status <> 'DELETED'
        AND NOT EXISTS (SELECT 1 FROM ${t('thread_search')} s WHERE s.thread_id = th.id)
      UNION ALL SELECT s.thread_id FROM ${t('thread_search')} s WHERE NOT EXISTS (
        SELECT 1 FROM ${t('threads')} th WHERE th.id = s.thread_id AND th.status <> 'DELETED')`,
  },
  {
    store: 'content',
    name: 'a published post with an empty body (or thread title)',
    sql: (
      t,
    ) => `SELECT th.id FROM ${t('threads')} th WHERE th.status = 'PUBLISHED' AND (th.title = '' OR th.body = '')
      UNION ALL SELECT c.id FROM ${t('comments')} c WHERE c.status = 'PUBLISHED' AND c.body = ''`,
  },
  {
    store: 'content',
    name: 'a review item without its content',
    sql: (t) => `SELECT r.id, r.content_kind, r.content_id FROM ${t('review_items')} r WHERE
      (r.content_kind = 'THREAD' AND NOT EXISTS (SELECT 1 FROM ${t('threads')} th WHERE th.id = r.content_id))
      OR (r.content_kind = 'COMMENT' AND NOT EXISTS (SELECT 1 FROM ${t('comments')} c WHERE c.id = r.content_id AND c.thread_id = r.thread_id))
      OR r.content_kind NOT IN ('THREAD', 'COMMENT')
      OR NOT EXISTS (SELECT 1 FROM ${t('threads')} th WHERE th.id = r.thread_id)
      OR NOT EXISTS (SELECT 1 FROM ${t('boards')} b WHERE b.id = r.board_id)`,
  },
  {
    store: 'content',
    name: 'a held post without a pending review item (nobody would ever release it)',
    sql: (t) =>
      ['threads', 'comments']
        .map(
          (table) => `SELECT p.id FROM ${t(table)} p WHERE p.status = 'HELD' AND NOT EXISTS (
          SELECT 1 FROM ${t('review_items')} r WHERE r.content_id = p.id AND r.status = 'PENDING')`,
        )
        .join(' UNION ALL '),
  },
  {
    store: 'content',
    name: 'an appeal item whose appealed item does not exist',
    sql: (t) => `SELECT r.id FROM ${t('review_items')} r WHERE r.appeal_of IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM ${t('review_items')} a WHERE a.id = r.appeal_of)`,
  },
  {
    store: 'content',
    name: 'a review event without its item',
    sql: (t) => `SELECT e.id FROM ${t('review_events')} e
      WHERE NOT EXISTS (SELECT 1 FROM ${t('review_items')} r WHERE r.id = e.item_id)`,
  },
  {
    store: 'content',
    name: 'a decided review item without its decision',
    sql: (t) => `SELECT r.id, r.status FROM ${t('review_items')} r WHERE
      (r.status IN ('APPROVED', 'REJECTED', 'IGNORED') AND (r.decision IS NULL OR r.decided_at IS NULL))
      OR r.status NOT IN ('PENDING', 'APPROVED', 'REJECTED', 'IGNORED')`,
  },
  {
    store: 'content',
    name: 'a report whose content does not exist',
    sql: (t) => `SELECT r.id FROM ${t('reports')} r
      WHERE NOT EXISTS (SELECT 1 FROM ${t('threads')} th WHERE th.id = r.content_id)
        AND NOT EXISTS (SELECT 1 FROM ${t('comments')} c WHERE c.id = r.content_id)`,
  },
  {
    store: 'content',
    name: 'a compliance notice or withholding whose post does not exist',
    sql: (t) =>
      ['content_notices', 'content_withholdings']
        .map(
          (table) => `SELECT x.content_id FROM ${t(table)} x
          WHERE NOT EXISTS (SELECT 1 FROM ${t('threads')} th WHERE th.id = x.content_id)
            AND NOT EXISTS (SELECT 1 FROM ${t('comments')} c WHERE c.id = x.content_id)`,
        )
        .join(' UNION ALL '),
  },
  {
    store: 'content',
    name: 'a rule without its rule set version',
    sql: (t) => `SELECT r.id FROM ${t('rules')} r
      WHERE NOT EXISTS (SELECT 1 FROM ${t('rule_set_versions')} v WHERE v.id = r.rule_set_id)`,
  },
  {
    store: 'content',
    name: 'a jurisdiction with more than one ACTIVE or more than one DRAFT rule set version',
    sql: (t) => `SELECT v.jurisdiction, v.status, COUNT(*) AS n FROM ${t('rule_set_versions')} v
      WHERE v.status IN ('ACTIVE', 'DRAFT') GROUP BY v.jurisdiction, v.status HAVING COUNT(*) > 1`,
  },
  {
    store: 'content',
    name: 'a rule set version of an unknown jurisdiction (nor a subdivision of a known one)',
    sql: (t) => `SELECT v.id, v.jurisdiction FROM ${t('rule_set_versions')} v
      WHERE NOT EXISTS (SELECT 1 FROM ${t('jurisdictions')} j
        WHERE j.code = v.jurisdiction OR j.code = SUBSTR(v.jurisdiction, 1, 2))`,
  },
  {
    store: 'identity',
    name: 'a session, membership, sanction, notification or reporter stat without its account',
    sql: (t) =>
      ['sessions', 'memberships', 'sanctions', 'notifications', 'reporter_stats']
        .map(
          (table) => `SELECT '${table}' AS tbl, x.account_id FROM ${t(table)} x
          WHERE NOT EXISTS (SELECT 1 FROM ${t('accounts')} a WHERE a.id = x.account_id)`,
        )
        .join(' UNION ALL '),
  },
  {
    store: 'identity',
    name: 'a membership, domain or moderator scope without its company',
    sql: (t) =>
      ['memberships', 'company_domains', 'staff_scopes']
        .map(
          (table) => `SELECT '${table}' AS tbl, x.company_id FROM ${t(table)} x
          WHERE NOT EXISTS (SELECT 1 FROM ${t('companies')} c WHERE c.id = x.company_id)`,
        )
        .join(' UNION ALL '),
  },
];

export async function checkStoreInvariants(stores: {
  identity: DataSource;
  content: DataSource;
}): Promise<string[]> {
  const violations: string[] = [];
  for (const check of CHECKS) {
    const dataSource = stores[check.store];
    // Tables without an entity (the search index) are named as plain SQL names them.
    const t = (entity: string): string =>
      dataSource.hasMetadata(entity)
        ? tableName(dataSource, dataSource.getMetadata(entity).tablePath)
        : storeTable(dataSource, entity);
    const rows = await dataSource.query<unknown[]>(check.sql(t));
    if (rows.length > 0)
      violations.push(`${check.name}: ${JSON.stringify(rows.slice(0, 5))} (${rows.length} rows)`);
  }
  // A board of a company that does not exist (across the stores: no foreign key can say it).
  const content = stores.content;
  const boards = await content.query<Array<{ id: string; company_id: string }>>(
    `SELECT id, company_id FROM ${tableName(content, content.getMetadata('boards').tablePath)} WHERE company_id IS NOT NULL`,
  );
  const identity = stores.identity;
  const companies = new Set(
    (
      await identity.query<Array<{ id: string }>>(
        `SELECT id FROM ${tableName(identity, identity.getMetadata('companies').tablePath)}`,
      )
    ).map((row) => row.id),
  );
  const orphanBoards = boards.filter((b) => !companies.has(b.company_id));
  if (orphanBoards.length > 0)
    violations.push(`a company board without its company: ${JSON.stringify(orphanBoards)}`);
  return violations;
}

/**
 * Opens both stores of an environment (no migrations run), for tests whose server runs in
 * another process or has died.
 */
export async function openStores(
  env: Record<string, string>,
): Promise<{ identity: DataSource; content: DataSource; close(): Promise<void> }> {
  const config = AppConfig.fromEnv(env);
  const identity = new DataSource(storeOptions(config, 'identity'));
  const content = new DataSource(storeOptions(config, 'content'));
  await identity.initialize();
  await content.initialize();
  return {
    identity,
    content,
    async close() {
      await identity.destroy();
      await content.destroy();
    },
  };
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storeTable } from '../store-table';

/** As ContentPolicy keeps them from now on (copied: a migration does not change with the code). */
const AUTHOR_RULE_NAME = "a rule of the author's jurisdiction";
const EXPLANATIONS: Readonly<Record<string, string>> = {
  HOLD: "Held for review under a rule of the author's jurisdiction. Which rule, and which jurisdiction, are not kept with the post, so that it does not tell where its author is.",
  REDACT:
    "Words were masked under a rule of the author's jurisdiction. Which rule, and which jurisdiction, are not kept with the post, so that it does not tell where its author is.",
};

interface StoredReason {
  kind: string;
  summary: string;
  ruleName: string | null;
}

/**
 * Notices of the author's jurisdiction stored before they were kept without naming it
 * (docs/anonymity.md, "Compliance"): a HOLD or REDACT notice of a jurisdiction that does not
 * govern the post's board (its code, the country of a subdivision, the groups of either) can
 * only have acted as the author's — elsewhere it would be a WITHHOLD — so it named the
 * author's jurisdiction. Such notices lose their jurisdiction, rule id, rule name, legal basis
 * and explanation, and so do the review item reasons and review event notes that named them.
 */
export class ContentAuthorJurisdictionNotices1795737600302 implements MigrationInterface {
  name = 'ContentAuthorJurisdictionNotices1795737600302';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { options } = queryRunner.connection;
    const postgres = options.type === 'postgres';
    const t = (table: string) => storeTable(queryRunner.connection, table);
    const select = async <T>(sql: string, parameters: unknown[] = []): Promise<T[]> =>
      (await queryRunner.query(sql, parameters)) as T[];
    const marks = (n: number, from = 1) =>
      Array.from({ length: n }, (_, i) => (postgres ? `$${from + i}` : '?')).join(', ');

    const groupsOf = new Map<string, string[]>();
    for (const row of await select<{ group_code: string; member_code: string }>(
      `SELECT group_code, member_code FROM ${t('jurisdiction_group_members')}`,
    )) {
      groupsOf.set(row.member_code, [...(groupsOf.get(row.member_code) ?? []), row.group_code]);
    }
    const governing = (code: string): Set<string> => {
      const own = code.trim().toUpperCase();
      const country = /^([A-Z]{2})-[A-Z0-9]{1,3}$/.exec(own)?.[1];
      const codes = country === undefined ? [own] : [own, country];
      return new Set([...codes, ...codes.flatMap((c) => groupsOf.get(c) ?? [])]);
    };

    const notices = await select<{
      id: string;
      content_id: string;
      jurisdiction: string;
      rule_name: string;
      action: string;
      board_jurisdiction: string;
    }>(
      `SELECT n.id, n.content_id, n.jurisdiction, n.rule_name, n.action, b.jurisdiction AS board_jurisdiction
       FROM ${t('content_notices')} n
       LEFT JOIN ${t('comments')} c ON c.id = n.content_id
       JOIN ${t('threads')} th ON th.id = COALESCE(c.thread_id, n.content_id)
       JOIN ${t('boards')} b ON b.id = th.board_id
       WHERE n.action IN ('HOLD', 'REDACT') AND n.jurisdiction <> ''`,
    );
    /** Per post, the rules (jurisdiction and name) that named its author's jurisdiction. */
    const named = new Map<string, Array<{ jurisdiction: string; ruleName: string }>>();
    for (const notice of notices) {
      if (governing(notice.board_jurisdiction).has(notice.jurisdiction)) continue;
      await queryRunner.query(
        `UPDATE ${t('content_notices')}
         SET jurisdiction = '', rule_id = '', rule_name = ${marks(1)}, legal_basis = '', explanation = ${marks(1, 2)}
         WHERE id = ${marks(1, 3)}`,
        [AUTHOR_RULE_NAME, EXPLANATIONS[notice.action], notice.id],
      );
      named.set(notice.content_id, [
        ...(named.get(notice.content_id) ?? []),
        { jurisdiction: notice.jurisdiction, ruleName: notice.rule_name },
      ]);
    }

    for (const [contentId, rules] of named) {
      const items = await select<{ id: string; reasons: string }>(
        `SELECT id, reasons FROM ${t('review_items')} WHERE content_id = ${marks(1)} AND kind = 'RULE_HOLD'`,
        [contentId],
      );
      for (const item of items) {
        const reasons = JSON.parse(item.reasons) as StoredReason[];
        const kept = reasons.map((reason) =>
          rules.some(
            (rule) =>
              reason.ruleName === rule.ruleName &&
              reason.summary.startsWith(`${rule.jurisdiction}: `),
          )
            ? { ...reason, summary: EXPLANATIONS.HOLD, ruleName: AUTHOR_RULE_NAME }
            : reason,
        );
        await queryRunner.query(
          `UPDATE ${t('review_items')} SET reasons = ${marks(1)} WHERE id = ${marks(1, 2)}`,
          [JSON.stringify(kept), item.id],
        );
        const events = await select<{ id: string; note: string | null }>(
          `SELECT id, note FROM ${t('review_events')} WHERE item_id = ${marks(1)}`,
          [item.id],
        );
        for (const event of events) {
          if (event.note === null) continue;
          let note = event.note;
          for (const rule of rules) {
            note = note.replaceAll(`${rule.jurisdiction} "${rule.ruleName}"`, AUTHOR_RULE_NAME);
          }
          if (note === event.note) continue;
          await queryRunner.query(
            `UPDATE ${t('review_events')} SET note = ${marks(1)} WHERE id = ${marks(1, 2)}`,
            [note, event.id],
          );
        }
      }
    }
  }

  async down(): Promise<void> {
    // What was dropped is gone; nothing to restore.
  }
}

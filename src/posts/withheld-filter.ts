import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { keptSql } from '../infrastructure/database/sql-shapes';
import { ContentWithholdingEntity } from './content-withholding.entity';

/**
 * Leaves out of `query` the posts (alias `alias`, id column `id`) withheld in any of
 * `jurisdictions`: a NOT EXISTS on the withholdings' primary key per row, so a keyset page
 * still walks its index in order and only skips withheld rows. Posts whose author token is
 * `ownToken` stay: an author sees their own withheld posts.
 */
export function excludeWithheld<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  jurisdictions: readonly string[],
  ownToken: string | null = null,
): SelectQueryBuilder<T> {
  if (jurisdictions.length === 0) return query;
  return query.andWhere(
    (qb: SelectQueryBuilder<T>) =>
      `(NOT EXISTS ${withheldSubquery(qb, alias)}${ownToken === null ? '' : ` OR ${alias}.authorToken = :ownToken`})`,
    { withheldIn: [...jurisdictions], ...(ownToken === null ? {} : { ownToken }) },
  );
}

/** Keeps in `query` only the posts (alias `alias`) withheld in any of `jurisdictions`. */
export function onlyWithheld<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  jurisdictions: readonly string[],
): SelectQueryBuilder<T> {
  return query.andWhere((qb: SelectQueryBuilder<T>) => `EXISTS ${withheldSubquery(qb, alias)}`, {
    withheldIn: [...jurisdictions],
  });
}

/** The subquery's text, written once per store and alias (it holds no value of its own). */
function withheldSubquery<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
): string {
  return keptSql(qb.connection, `withheldFilter.subquery:${alias}`, () =>
    qb
      .subQuery()
      .select('1')
      .from(ContentWithholdingEntity, 'w')
      .where(`w.content_id = ${alias}.id`)
      .andWhere('w.jurisdiction IN (:...withheldIn)')
      .getQuery(),
  );
}

import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ContentWithholdingEntity } from './content-enforcement.entity';

/**
 * Leaves out of `query` the posts (alias `alias`, id column `id`) withheld in any of
 * `jurisdictions`: a NOT EXISTS on the withholdings' primary key per row, so a keyset page
 * still walks its index in order and only skips withheld rows.
 */
export function excludeWithheld<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  jurisdictions: readonly string[],
): SelectQueryBuilder<T> {
  if (jurisdictions.length === 0) return query;
  return query.andWhere(
    (qb: SelectQueryBuilder<T>) =>
      `NOT EXISTS ${qb
        .subQuery()
        .select('1')
        .from(ContentWithholdingEntity, 'w')
        .where(`w.content_id = ${alias}.id`)
        .andWhere('w.jurisdiction IN (:...withheldIn)')
        .getQuery()}`,
    { withheldIn: [...jurisdictions] },
  );
}

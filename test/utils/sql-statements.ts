import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { STORES } from '../../src/infrastructure/database/stores';
import type { TestApp } from './test-app';

/**
 * Runs `work` and counts the SQL statements both stores of `app` executed meanwhile (those
 * whose text `which` accepts, when given).
 */
export async function countStatements(
  app: TestApp,
  work: () => Promise<unknown>,
  which: (sql: string) => boolean = () => true,
): Promise<number> {
  const prototypes = new Set<QueryRunner>();
  for (const store of STORES) {
    const runner = app.app.get<DataSource>(getDataSourceToken(store)).createQueryRunner();
    prototypes.add(Object.getPrototypeOf(runner) as QueryRunner);
    await runner.release();
  }
  const spies = [...prototypes].map((proto) => jest.spyOn(proto, 'query'));
  try {
    await work();
    return spies.reduce(
      (sum, spy) => sum + spy.mock.calls.filter(([sql]) => which(String(sql))).length,
      0,
    );
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

import { DataSource, Entity, MoreThan, PrimaryColumn } from 'typeorm';
import { AppConfig } from '../../../src/infrastructure/config/app-config';
import { FractionColumn } from '../../../src/infrastructure/database/columns';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { storeOptions } from '../../../src/store-entities';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { createTestStores, type TestStores } from '../../utils/test-env';

@Entity({ name: 'fraction_rows' })
class FractionRow {
  @PrimaryColumn({ type: 'varchar', length: 8 })
  id!: string;

  @FractionColumn()
  rank!: number;
}

/**
 * Fractions (a thread's hot rank, a review's priority) are bound as parameters on both
 * engines (columns.ts, `FractionColumn`): an update of a rank is the same statement text
 * whatever the rank, and every value reads back as the very number written.
 */
describe('Fraction columns', () => {
  let stores: TestStores;
  let content: DataSource;
  let rows: DataSource;

  beforeAll(async () => {
    stores = createTestStores();
    const options = storeOptions(AppConfig.fromEnv(stores.env), 'content');
    // The store's schema (PostgreSQL) exists once the real store has been opened.
    content = await openStore(options);
    rows = new DataSource({
      ...options,
      entities: [FractionRow],
      migrations: [],
      migrationsRun: false,
      synchronize: true,
    });
    await rows.initialize();
  });
  afterAll(async () => {
    await rows?.destroy();
    await content?.destroy();
    await stores.dispose();
  });

  it('writes one statement text for a thread’s new score and rank, whatever the rank', () => {
    const update = (hotRank: number) =>
      content
        .createQueryBuilder()
        .update(ThreadEntity)
        .set({ score: 3, hotRank })
        .where('id = :id', { id: 'thread-1' })
        .getQueryAndParameters();
    const [first, firstParameters] = update(39924.85714311111);
    const [second, secondParameters] = update(0.1 + 0.2);
    expect(second).toBe(first);
    expect(first).not.toContain('39924');
    expect(firstParameters).toContain('39924.85714311111');
    expect(secondParameters).toContain('0.30000000000000004');
  });

  it('reads back every value as the number written, stored and compared as a number', async () => {
    const values = [
      0,
      -1.5,
      0.1 + 0.2,
      1 / 3,
      39924.85714311111,
      -2.2250738585072014e-308,
      1.7976931348623157e308,
      123456789.12345679,
    ];
    await rows.getRepository(FractionRow).insert(values.map((rank, i) => ({ id: `r${i}`, rank })));
    const read = await rows.getRepository(FractionRow).find({ order: { rank: 'ASC' } });
    expect(read.map((row) => row.rank)).toEqual([...values].sort((a, b) => a - b));
    expect(read.every((row) => typeof row.rank === 'number')).toBe(true);
    // Compared with a number (a parameter written as TypeORM writes it), and through the
    // column's own conversion (find options): numerically, not as text ('9' > '10' as text).
    const above = await rows
      .getRepository(FractionRow)
      .createQueryBuilder('r')
      .where('r.rank > :floor', { floor: 10 })
      .orderBy('r.rank', 'ASC')
      .getMany();
    expect(above.map((row) => row.rank)).toEqual([
      39924.85714311111, 123456789.12345679, 1.7976931348623157e308,
    ]);
    const found = await rows.getRepository(FractionRow).findBy({ rank: MoreThan(1 / 3) });
    expect(found.map((row) => row.rank).sort((a, b) => a - b)).toEqual([
      39924.85714311111, 123456789.12345679, 1.7976931348623157e308,
    ]);
    await rows.getRepository(FractionRow).update({ id: 'r1' }, { rank: 2.5 });
    const updated = await rows.getRepository(FractionRow).findOneByOrFail({ id: 'r1' });
    expect(updated.rank).toBe(2.5);
  });
});

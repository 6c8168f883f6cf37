import { checkSqlShapes } from '../../src/infrastructure/database/sql-shapes';

// Every test run writes the text of each named query shape afresh and compares it with the
// kept one (sql-shapes.ts): a name that covers two texts fails the test that uses it.
checkSqlShapes(true);

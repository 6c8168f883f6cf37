import { Column, type ColumnOptions, type ValueTransformer } from 'typeorm';

/**
 * Instants are stored as epoch milliseconds in a BIGINT column: the same type, ordering and
 * index behaviour on SQLite and PostgreSQL, and no time-zone conversion anywhere.
 * (PostgreSQL returns BIGINT as a string, hence Number().)
 */
const epochMillis: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : value),
  from: (value: string | number | null) => (value === null ? null : new Date(Number(value))),
};

export function TimestampColumn(
  options: Omit<ColumnOptions, 'type' | 'transformer'> = {},
): PropertyDecorator {
  return Column({ ...options, type: 'bigint', transformer: epochMillis });
}

/** A small integer counter (attempts, counts) read back as a number on both engines. */
export function CountColumn(options: Omit<ColumnOptions, 'type'> = {}): PropertyDecorator {
  return Column({ ...options, type: 'integer' });
}

/**
 * Written as its shortest decimal text (what `String` gives, which reads back as the same
 * number), read back as a number. TypeORM's SQLite drivers write every number parameter into
 * the statement's text (`bindWholeNumbers` binds whole ones), so each new fraction — a thread's
 * hot rank, written on every vote — was a new statement, prepared again each time. Text is
 * bound like any other parameter; the column's REAL affinity turns it into the same REAL the
 * literal gave (SQLite reads both with one conversion), and PostgreSQL's driver sends numbers
 * as this very text anyway. Compared in SQL only against the column, where the same affinity
 * applies.
 */
const fraction: ValueTransformer = {
  to: (value: number | null | undefined) => (typeof value === 'number' ? String(value) : value),
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** A double-precision number (ranks, weights), bound as a parameter on both engines. */
export function FractionColumn(
  options: Omit<ColumnOptions, 'type' | 'transformer'> = {},
): PropertyDecorator {
  return Column({ ...options, type: 'double precision', transformer: fraction });
}

const json: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? null : (JSON.parse(value) as unknown)),
};

/** A JSON value stored as text: the same on SQLite and PostgreSQL, never queried inside. */
export function JsonColumn(
  options: Omit<ColumnOptions, 'type' | 'transformer'> = {},
): PropertyDecorator {
  return Column({ ...options, type: 'text', transformer: json });
}

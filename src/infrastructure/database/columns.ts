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

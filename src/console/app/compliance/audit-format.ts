/**
 * How the audit log page shows an entry: its subject as a link to what it names, its details
 * as readable lines, and the CSV of the entries shown. Pure functions, unit-tested.
 */

/** An entry's subject as the page shows it: a console route when there is a page for it. */
export interface SubjectLink {
  label: string;
  /** Console route parts for href(...), e.g. ['rule-sets', id]; null: plain text. */
  route: string[] | null;
}

type Details = Record<string, unknown>;

const isObject = (value: unknown): value is Details =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const text = (value: unknown): string | null =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : null;

/** "DE version 3" from details naming a jurisdiction and a version; null without them. */
function versionName(details: Details): string | null {
  const jurisdiction = text(details.jurisdiction);
  const version = text(details.version);
  return jurisdiction === null
    ? null
    : `${jurisdiction}${version === null ? '' : ` version ${version}`}`;
}

/**
 * `ruleSet:<id>` → its rule set page; `rule:<id>` → the page of the version it is in;
 * `review:<id>` → the review item's page; `staff:<handle>`, `board:`, `company:` → readable
 * text; anything else as written.
 */
export function subjectLink(subject: string, details: Details): SubjectLink {
  const colon = subject.indexOf(':');
  const kind = colon < 0 ? '' : subject.slice(0, colon);
  const id = subject.slice(colon + 1);
  const named = (value: unknown): string | null =>
    isObject(value) ? (text(value.name) ?? text(value.slug)) : null;
  switch (kind) {
    case 'ruleSet': {
      const name = versionName(details);
      return { label: name === null ? 'Rule set' : `Rule set ${name}`, route: ['rule-sets', id] };
    }
    case 'rule': {
      const name = named(details.after) ?? named(details.before);
      const version = versionName(details);
      const ruleSetId = text(details.ruleSetId);
      return {
        label: `Rule${name === null ? '' : ` “${name}”`}${version === null ? '' : ` in ${version}`}`,
        route: ruleSetId === null ? null : ['rule-sets', ruleSetId],
      };
    }
    case 'review':
      return { label: 'Review item', route: ['queue', id] };
    case 'staff':
      return { label: id, route: null };
    case 'board': {
      const name = named(details.after);
      return { label: name === null ? 'Board' : `Board ${name}`, route: null };
    }
    case 'company': {
      const name = named(details.after) ?? text(details.name);
      return { label: name === null ? 'Company' : `Company ${name}`, route: null };
    }
    default:
      return { label: subject, route: null };
  }
}

/**
 * One value in words: null "—", booleans yes/no, lists joined, a version reference as
 * "version N", other objects as `key: value` pairs.
 */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(valueText).join(', ');
  // A reference to a rule set version ({ ruleSetId, version }): its number says it.
  if (isObject(value) && typeof value.ruleSetId === 'string' && text(value.version) !== null)
    return `version ${text(value.version)}`;
  if (isObject(value))
    return Object.entries(value)
      .map(([key, inner]) => `${key}: ${valueText(inner)}`)
      .join('; ');
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '…';
}

/** One line of an entry's details: a fact, or a field changed from `before` to `after`. */
export type DetailLine =
  | { kind: 'fact'; key: string; value: string }
  | { kind: 'change'; key: string; before: string; after: string };

/**
 * The details as lines: each key with its value in words, except that `before` and `after`
 * objects (a rule edit, a role grant) become one line per field that differs.
 */
export function detailLines(details: Details): DetailLine[] {
  const { before, after, ...facts } = details;
  const lines: DetailLine[] = Object.entries(facts).map(([key, value]) => ({
    kind: 'fact',
    key,
    value: valueText(value),
  }));
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const was = valueText(before[key]);
      const now = valueText(after[key]);
      if (was !== now) lines.push({ kind: 'change', key, before: was, after: now });
    }
  } else {
    if (before !== undefined) lines.push({ kind: 'fact', key: 'before', value: valueText(before) });
    if (after !== undefined) lines.push({ kind: 'fact', key: 'after', value: valueText(after) });
  }
  return lines;
}

/** An audit entry's columns in the CSV. */
export interface CsvEntry {
  at: string;
  log: string;
  seq: number;
  actorHandle: string;
  actorRole: string;
  action: string;
  subject: string;
  detail: string;
}

const CSV_COLUMNS: Array<keyof CsvEntry> = [
  'at',
  'log',
  'seq',
  'actorHandle',
  'actorRole',
  'action',
  'subject',
  'detail',
];

/** RFC 4180: quoted when needed, quotes doubled; a leading =, +, - or @ defused for spreadsheets. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The entries as CSV (header line, CRLF line ends), `detail` as the stored JSON. */
export function auditCsv(entries: readonly CsvEntry[]): string {
  const rows = [
    CSV_COLUMNS.join(','),
    ...entries.map((entry) =>
      CSV_COLUMNS.map((column) => csvField(String(entry[column]))).join(','),
    ),
  ];
  return `${rows.join('\r\n')}\r\n`;
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { UnknownJurisdictionException } from '../compliance.exception';
import { JurisdictionsRepository } from './jurisdictions.repository';
import { countryOf, expandJurisdiction, parseJurisdictionCode } from './jurisdiction-expansion';
import type { JurisdictionKind } from './jurisdiction.entity';

export interface KnownJurisdiction {
  readonly code: string;
  readonly name: string;
  readonly kind: JurisdictionKind;
  /** Member codes of a group, sorted; empty for a country. */
  readonly members: readonly string[];
}

interface Catalogue {
  readonly byCode: ReadonlyMap<string, KnownJurisdiction>;
  readonly groupsOf: ReadonlyMap<string, readonly string[]>;
}

/**
 * The jurisdictions and their groups, read once at start-up and kept in memory: they change
 * only by migration. `expand` is what the compliance evaluation and the read side use to
 * turn a board's, an author's or a viewer's code into every jurisdiction governing it.
 */
@Injectable()
export class JurisdictionsService implements OnModuleInit {
  private catalogue: Catalogue = { byCode: new Map(), groupsOf: new Map() };

  constructor(private readonly stored: JurisdictionsRepository) {}

  async onModuleInit(): Promise<void> {
    await this.load();
  }

  /** Re-reads the tables (start-up; tests). */
  async load(): Promise<void> {
    const [rows, members] = await Promise.all([
      this.stored.findAll(),
      this.stored.findGroupMembers(),
    ]);
    const groupsOf = new Map<string, string[]>();
    const membersOf = new Map<string, string[]>();
    for (const { groupCode, memberCode } of members) {
      groupsOf.set(memberCode, [...(groupsOf.get(memberCode) ?? []), groupCode]);
      membersOf.set(groupCode, [...(membersOf.get(groupCode) ?? []), memberCode]);
    }
    this.catalogue = {
      byCode: new Map(
        rows.map((row) => [
          row.code,
          {
            code: row.code,
            name: row.name,
            kind: row.kind,
            members: membersOf.get(row.code) ?? [],
          },
        ]),
      ),
      groupsOf,
    };
  }

  /** Every stored jurisdiction, by code. */
  list(): KnownJurisdiction[] {
    return [...this.catalogue.byCode.values()];
  }

  /** A stored jurisdiction, or a subdivision of a stored country (named after it); else null. */
  find(code: string): KnownJurisdiction | null {
    const parsed = parseJurisdictionCode(code);
    if (parsed === null) return null;
    const known = this.catalogue.byCode.get(parsed);
    if (known !== undefined) return known;
    const country = countryOf(parsed);
    const parent = country === null ? undefined : this.catalogue.byCode.get(country);
    if (parent === undefined || parent.kind !== 'COUNTRY') return null;
    return { code: parsed, name: `${parent.name} (${parsed})`, kind: 'COUNTRY', members: [] };
  }

  /** The normalised code of a known jurisdiction; BAD_USER_INPUT otherwise. */
  require(code: string, field = 'jurisdiction'): string {
    const known = this.find(code);
    if (known === null) throw new UnknownJurisdictionException(code, field);
    return known.code;
  }

  /**
   * The code, its country (for a subdivision) and the groups containing either:
   * `DE` → `['DE', 'EU']`, `US-CA` → `['US-CA', 'US']`. Upper-cases; an unknown code
   * expands to itself.
   */
  expand(code: string): string[] {
    return expandJurisdiction(code, (member) => this.catalogue.groupsOf.get(member) ?? []);
  }

  /** `expand` over several codes, without duplicates, in first-seen order. */
  expandAll(codes: readonly string[]): string[] {
    return [...new Set(codes.flatMap((code) => this.expand(code)))];
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { AuditTrail, type AuditActor } from '../../audit/audit-trail.service';
import { BadUserInputException } from '../../common/errors';
import { PseudonymService } from '../../identity/pseudonyms/pseudonym.service';
import { StaffTokenService } from '../../identity/sealing/staff-token.service';
import type { Principal } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import { AppConfig } from '../../infrastructure/config/app-config';
import { isUniqueViolation } from '../../infrastructure/database/unique-violation';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { DomainEvents } from '../../infrastructure/events/domain-events';
import {
  AlreadyActiveException,
  ConcurrentRuleSetChangeException,
  DraftExistsException,
  FourEyesException,
  InvalidRuleException,
  RuleNotFoundException,
  RuleSetNotFoundException,
  RuleSetPublishedException,
} from '../compliance.exception';
import { JurisdictionsService } from '../jurisdictions/jurisdictions.service';
import {
  compile,
  RuleCompileError,
  testRuleSet,
  type BoardKind,
  type RuleTestReport,
} from '../rule-engine';
import { ActiveRuleSets } from './active-rule-sets.service';
import {
  assertCompiles,
  RULE_LIMITS,
  ruleContentFrom,
  type RuleContent,
  ruleErrorMessage,
} from './rule-content';
import type { RuleEntity } from './rule.entity';
import type { RuleSetVersionEntity } from './rule-set-version.entity';
import type { RuleInput } from './rule-set.input';
import { toRuleSetDefinition } from './rule-set.mapper';
import { RuleSetsRepository } from './rule-sets.repository';

/** Audit actions written by rule set management. */
export const RuleSetAuditAction = {
  CREATE_DRAFT: 'ruleSet.createDraft',
  ADD_RULE: 'rule.add',
  UPDATE_RULE: 'rule.update',
  REMOVE_RULE: 'rule.remove',
  PUBLISH: 'ruleSet.publish',
  ROLLBACK: 'ruleSet.rollback',
  ROLLBACK_DRAFT: 'ruleSet.rollbackDraft',
  EMERGENCY_ROLLBACK: 'ruleSet.emergencyRollback',
} as const;

/** Longest reason an emergency rollback takes. */
export const ROLLBACK_REASON_MAX = 1000;

/** How `rollbackRuleSet` restores: through a draft (four eyes), or at once in an emergency. */
export interface RollbackOptions {
  /** Publishes at once even under four eyes; needs a reason; audited as an emergency. */
  emergency: boolean;
  reason: string | null;
}

/** Longest sample text `testRules` takes (the longest thread body). */
export const TEST_TEXT_MAX = 20_000;

/**
 * Rule set versions of each jurisdiction: drafts, their rules, publication (four-eyes),
 * rollback, and tests. Every change runs in one content-store transaction together with its
 * audit entry; after a publication or rollback commits, the active rules are recompiled.
 * Callers are COMPLIANCE_OFFICERs (checked by the resolver's @Roles).
 */
@Injectable()
export class RuleSetsService {
  private readonly logger = new Logger(RuleSetsService.name);

  constructor(
    private readonly repository: RuleSetsRepository,
    private readonly jurisdictions: JurisdictionsService,
    private readonly active: ActiveRuleSets,
    private readonly events: DomainEvents,
    private readonly audit: AuditTrail,
    private readonly pseudonyms: PseudonymService,
    private readonly staffTokens: StaffTokenService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  // --- reads ------------------------------------------------------------------------------

  version(id: string): Promise<RuleSetVersionEntity | null> {
    return this.repository.findVersion(id);
  }

  versionsOf(jurisdictions: readonly string[]): Promise<RuleSetVersionEntity[]> {
    return this.repository.findByJurisdictions(jurisdictions);
  }

  rulesOf(ruleSetIds: readonly string[]): Promise<RuleEntity[]> {
    return this.repository.findRules(ruleSetIds);
  }

  /** Codes with versions that are not in the jurisdictions table (subdivisions such as US-CA). */
  async subdivisionsWithVersions(): Promise<string[]> {
    const codes = await this.repository.jurisdictionsWithVersions();
    const stored = new Set(this.jurisdictions.list().map((j) => j.code));
    return codes.filter((code) => !stored.has(code)).sort();
  }

  /** Whether `lastEditor` (a version's keyed staff token) is the principal's. */
  isLastEditorToken(principal: Principal, lastEditor: string): boolean {
    return this.staffTokens.matches(principal.accountId, lastEditor);
  }

  /** Runs a version (draft or published) on sample text, its own jurisdiction governing. */
  async test(ruleSetId: string, text: string, boardKind: BoardKind): Promise<RuleTestReport> {
    if (text.length > TEST_TEXT_MAX) {
      throw new BadUserInputException(`text must be at most ${TEST_TEXT_MAX} characters.`, {
        fields: ['text'],
      });
    }
    const definition = await this.active.definitionOf(ruleSetId);
    try {
      return testRuleSet(definition, text, { boardKind });
    } catch (error) {
      if (!(error instanceof RuleCompileError)) throw error;
      throw new InvalidRuleException(ruleErrorMessage(error), 'ruleSetId', error.code);
    }
  }

  // --- drafts -----------------------------------------------------------------------------

  /**
   * A new DRAFT for the jurisdiction, numbered after its newest version, with a copy of the
   * active version's rules when `copyActive` (and there is one). One draft per jurisdiction:
   * CONFLICT (with `extensions.ruleSetId` of the open draft) when one exists.
   */
  async createDraft(
    principal: Principal,
    jurisdictionCode: string,
    copyActive: boolean,
  ): Promise<RuleSetVersionEntity> {
    const jurisdiction = this.jurisdictions.require(jurisdictionCode);
    const now = new Date();
    return this.writing(() =>
      this.transactions.run(CONTENT_STORE, async (manager) => {
        const open = await this.repository.findByStatus(jurisdiction, 'DRAFT', manager);
        if (open !== null) throw new DraftExistsException(jurisdiction, open);
        const source = copyActive
          ? await this.repository.findByStatus(jurisdiction, 'ACTIVE', manager)
          : null;
        const draft: RuleSetVersionEntity = {
          id: randomUUID(),
          jurisdiction,
          version: (await this.repository.maxVersion(manager, jurisdiction)) + 1,
          status: 'DRAFT',
          basedOnVersion: source?.version ?? null,
          createdAt: now,
          updatedAt: now,
          publishedAt: null,
          lastEditor: this.staffTokens.token(principal.accountId),
          rollbackOf: null,
        };
        await this.repository.insertVersion(manager, draft);
        const copied = source === null ? 0 : await this.copyRules(manager, source.id, draft.id);
        await this.audit.record(manager, {
          actor: this.actor(principal),
          action: RuleSetAuditAction.CREATE_DRAFT,
          subject: `ruleSet:${draft.id}`,
          detail: {
            jurisdiction,
            version: draft.version,
            copiedFrom: source === null ? null : { ruleSetId: source.id, version: source.version },
            rules: copied,
          },
        });
        return draft;
      }),
    );
  }

  async addRule(principal: Principal, ruleSetId: string, input: RuleInput): Promise<RuleEntity> {
    const content = ruleContentFrom(input);
    const id = randomUUID();
    const known = await this.repository.findVersion(ruleSetId);
    if (known === null) throw new RuleSetNotFoundException();
    // Compiled before the transaction: CPU work does not hold the write lock.
    assertCompiles(content, { ruleId: id, ruleSetId, jurisdiction: known.jurisdiction });
    return this.transactions.run(CONTENT_STORE, async (manager) => {
      const draft = await this.lockDraft(manager, principal, ruleSetId);
      if ((await this.repository.countRules(manager, draft.id)) >= RULE_LIMITS.rulesPerVersion) {
        throw new InvalidRuleException(
          `A version holds at most ${RULE_LIMITS.rulesPerVersion} rules.`,
          'ruleSetId',
        );
      }
      const rule: RuleEntity = {
        ...content,
        id,
        ruleSetId: draft.id,
        position: await this.repository.nextPosition(manager, draft.id),
      };
      await this.repository.insertRules(manager, [rule]);
      await this.audit.record(manager, {
        actor: this.actor(principal),
        action: RuleSetAuditAction.ADD_RULE,
        subject: `rule:${rule.id}`,
        detail: { ...where(draft), after: snapshot(rule) },
      });
      return rule;
    });
  }

  async updateRule(principal: Principal, ruleId: string, input: RuleInput): Promise<RuleEntity> {
    const content = ruleContentFrom(input);
    const known = await this.repository.findRule(ruleId);
    if (known === null) throw new RuleNotFoundException();
    const version = await this.repository.findVersion(known.ruleSetId);
    assertCompiles(content, {
      ruleId,
      ruleSetId: known.ruleSetId,
      jurisdiction: version?.jurisdiction ?? 'XX',
    });
    return this.transactions.run(CONTENT_STORE, async (manager) => {
      const draft = await this.lockDraft(manager, principal, known.ruleSetId);
      const before = await this.repository.findRule(ruleId, manager);
      if (before === null) throw new RuleNotFoundException();
      const after: RuleEntity = { ...before, ...content };
      await this.repository.updateRule(manager, ruleId, content);
      await this.audit.record(manager, {
        actor: this.actor(principal),
        action: RuleSetAuditAction.UPDATE_RULE,
        subject: `rule:${ruleId}`,
        detail: { ...where(draft), before: snapshot(before), after: snapshot(after) },
      });
      return after;
    });
  }

  async removeRule(principal: Principal, ruleId: string): Promise<void> {
    const known = await this.repository.findRule(ruleId);
    if (known === null) throw new RuleNotFoundException();
    await this.transactions.run(CONTENT_STORE, async (manager) => {
      const draft = await this.lockDraft(manager, principal, known.ruleSetId);
      const before = await this.repository.findRule(ruleId, manager);
      if (before === null) throw new RuleNotFoundException();
      await this.repository.deleteRule(manager, ruleId);
      await this.audit.record(manager, {
        actor: this.actor(principal),
        action: RuleSetAuditAction.REMOVE_RULE,
        subject: `rule:${ruleId}`,
        detail: { ...where(draft), before: snapshot(before) },
      });
    });
  }

  // --- publication ------------------------------------------------------------------------

  /**
   * DRAFT → ACTIVE, the previous ACTIVE version → SUPERSEDED, in one transaction with the
   * audit entry. With COMPLIANCE_FOUR_EYES the publisher must not be the draft's last editor
   * (FORBIDDEN). With `applyRetroactively`, the same transaction publishes
   * `ruleSet.publishedRetroactively`, which starts the re-evaluation of existing content once
   * it has committed (the discussions' RetroactiveEnforcement). Then the active rules are
   * recompiled.
   */
  async publish(
    principal: Principal,
    ruleSetId: string,
    applyRetroactively: boolean,
  ): Promise<RuleSetVersionEntity> {
    const published = await this.writing(() =>
      this.transactions.run(CONTENT_STORE, async (manager) => {
        const now = new Date();
        const draft = await this.lockVersion(manager, ruleSetId, 'DRAFT', { updatedAt: now });
        if (
          this.config.COMPLIANCE_FOUR_EYES &&
          this.isLastEditorToken(principal, draft.lastEditor)
        ) {
          throw new FourEyesException();
        }
        const rules = await this.repository.findRules([draft.id], manager);
        this.assertSetCompiles(draft, rules);
        const previous = await this.repository.findByStatus(draft.jurisdiction, 'ACTIVE', manager);
        if (previous !== null) await this.supersede(manager, previous, now);
        const changes = { status: 'ACTIVE' as const, publishedAt: now, updatedAt: now };
        if (!(await this.repository.updateIf(manager, draft.id, 'DRAFT', changes))) {
          throw new ConcurrentRuleSetChangeException();
        }
        await this.audit.record(manager, {
          actor: this.actor(principal),
          action: RuleSetAuditAction.PUBLISH,
          subject: `ruleSet:${draft.id}`,
          detail: {
            jurisdiction: draft.jurisdiction,
            version: draft.version,
            rules: rules.length,
            superseded:
              previous === null ? null : { ruleSetId: previous.id, version: previous.version },
            applyRetroactively,
            fourEyes: this.config.COMPLIANCE_FOUR_EYES,
            ...(draft.rollbackOf === null ? {} : { rollbackOf: draft.rollbackOf }),
          },
        });
        if (applyRetroactively) {
          await this.events.publish(manager, {
            type: 'ruleSet.publishedRetroactively',
            payload: {
              ruleSetId: draft.id,
              jurisdiction: draft.jurisdiction,
              version: draft.version,
              actor: this.actor(principal),
            },
          });
        }
        return { ...draft, ...changes };
      }),
    );
    await this.recompile();
    return published;
  }

  /**
   * Restores an older published version's rules. With COMPLIANCE_FOUR_EYES (and no
   * `emergency`), as a DRAFT copying them (`rollbackOf` set, the caller its last editor) that
   * another officer publishes like any draft: CONFLICT when the jurisdiction has a draft
   * already. Otherwise — four eyes off, or an emergency with a reason — as a new ACTIVE
   * version at once (numbered next; an open draft is renumbered to stay the newest),
   * superseding the active one; an emergency is audited as `ruleSet.emergencyRollback`.
   */
  async rollback(
    principal: Principal,
    jurisdictionCode: string,
    toVersion: number,
    options: RollbackOptions = { emergency: false, reason: null },
  ): Promise<RuleSetVersionEntity> {
    const jurisdiction = this.jurisdictions.require(jurisdictionCode);
    const reason = rollbackReason(options);
    if (this.config.COMPLIANCE_FOUR_EYES && !options.emergency) {
      return this.writing(() =>
        this.transactions.run(CONTENT_STORE, (manager) =>
          this.rollbackDraft(manager, principal, jurisdiction, toVersion, reason),
        ),
      );
    }
    const restored = await this.writing(() =>
      this.transactions.run(CONTENT_STORE, async (manager) => {
        const now = new Date();
        const { target, previous } = await this.rollbackTarget(manager, jurisdiction, toVersion);
        if (previous !== null) await this.supersede(manager, previous, now);
        const draft = await this.repository.findByStatus(jurisdiction, 'DRAFT', manager);
        const number = (await this.repository.maxVersion(manager, jurisdiction)) + 1;
        let renumbered: { from: number; to: number } | null = null;
        let versionNumber = number;
        if (draft !== null && draft.version === number - 1) {
          // The draft keeps being the newest version: it moves up, the rollback takes its number.
          if (!(await this.repository.updateIf(manager, draft.id, 'DRAFT', { version: number }))) {
            throw new ConcurrentRuleSetChangeException();
          }
          renumbered = { from: draft.version, to: number };
          versionNumber = draft.version;
        }
        const { version, copied } = await this.insertRestored(manager, principal, target, {
          version: versionNumber,
          status: 'ACTIVE',
          now,
        });
        await this.audit.record(manager, {
          actor: this.actor(principal),
          action: options.emergency
            ? RuleSetAuditAction.EMERGENCY_ROLLBACK
            : RuleSetAuditAction.ROLLBACK,
          subject: `ruleSet:${version.id}`,
          detail: {
            jurisdiction,
            version: version.version,
            restored: { ruleSetId: target.id, version: target.version },
            superseded:
              previous === null ? null : { ruleSetId: previous.id, version: previous.version },
            rules: copied,
            draftRenumbered: renumbered,
            ...(reason === null ? {} : { reason }),
            fourEyes: this.config.COMPLIANCE_FOUR_EYES,
          },
        });
        return version;
      }),
    );
    await this.recompile();
    return restored;
  }

  /** A rollback under four eyes: a draft with the restored rules, for another officer. */
  private async rollbackDraft(
    manager: EntityManager,
    principal: Principal,
    jurisdiction: string,
    toVersion: number,
    reason: string | null,
  ): Promise<RuleSetVersionEntity> {
    const now = new Date();
    const { target, previous } = await this.rollbackTarget(manager, jurisdiction, toVersion);
    const open = await this.repository.findByStatus(jurisdiction, 'DRAFT', manager);
    if (open !== null) throw new DraftExistsException(jurisdiction, open);
    const { version: draft, copied } = await this.insertRestored(manager, principal, target, {
      version: (await this.repository.maxVersion(manager, jurisdiction)) + 1,
      status: 'DRAFT',
      now,
    });
    await this.audit.record(manager, {
      actor: this.actor(principal),
      action: RuleSetAuditAction.ROLLBACK_DRAFT,
      subject: `ruleSet:${draft.id}`,
      detail: {
        jurisdiction,
        version: draft.version,
        restoring: { ruleSetId: target.id, version: target.version },
        active: previous === null ? null : { ruleSetId: previous.id, version: previous.version },
        rules: copied,
        ...(reason === null ? {} : { reason }),
      },
    });
    return draft;
  }

  /** A new version (draft or active) with a copy of `target`'s rules, marked as its rollback. */
  private async insertRestored(
    manager: EntityManager,
    principal: Principal,
    target: RuleSetVersionEntity,
    made: { version: number; status: 'DRAFT' | 'ACTIVE'; now: Date },
  ): Promise<{ version: RuleSetVersionEntity; copied: number }> {
    const version: RuleSetVersionEntity = {
      id: randomUUID(),
      jurisdiction: target.jurisdiction,
      version: made.version,
      status: made.status,
      basedOnVersion: target.version,
      rollbackOf: target.version,
      createdAt: made.now,
      updatedAt: made.now,
      publishedAt: made.status === 'ACTIVE' ? made.now : null,
      lastEditor: this.staffTokens.token(principal.accountId),
    };
    await this.repository.insertVersion(manager, version);
    return { version, copied: await this.copyRules(manager, target.id, version.id) };
  }

  /**
   * The published version a rollback restores, and the active one it would replace: NOT_FOUND,
   * BAD_USER_INPUT for a draft, CONFLICT when its rules are the ones in force already.
   */
  private async rollbackTarget(
    manager: EntityManager,
    jurisdiction: string,
    toVersion: number,
  ): Promise<{ target: RuleSetVersionEntity; previous: RuleSetVersionEntity | null }> {
    const target = await this.repository.findVersionByNumber(jurisdiction, toVersion, manager);
    if (target === null) throw new RuleSetNotFoundException();
    if (target.status === 'DRAFT') {
      throw new BadUserInputException(
        `Version ${toVersion} of ${jurisdiction} is a draft: publish it rather than roll back to it.`,
        { fields: ['toVersion'] },
      );
    }
    if (target.status === 'ACTIVE') throw new AlreadyActiveException(jurisdiction, toVersion);
    const previous = await this.repository.findByStatus(jurisdiction, 'ACTIVE', manager);
    if (previous !== null) {
      // Restoring the rules already in force (a repeated rollback) would change nothing.
      const [current, restoring] = await Promise.all([
        this.repository.findRules([previous.id], manager),
        this.repository.findRules([target.id], manager),
      ]);
      if (sameRules(current, restoring)) {
        throw new AlreadyActiveException(jurisdiction, toVersion, previous.version);
      }
    }
    return { target, previous };
  }

  // --- helpers ----------------------------------------------------------------------------

  private actor(principal: Principal): AuditActor {
    return {
      handle: this.pseudonyms.staffHandle(principal.accountId),
      role: Role.COMPLIANCE_OFFICER,
    };
  }

  /**
   * Locks a version for a change: it must still have `status`; CONFLICT when it has another
   * (a published version cannot change), NOT_FOUND when it does not exist.
   */
  private async lockVersion(
    manager: EntityManager,
    id: string,
    status: 'DRAFT' | 'ACTIVE',
    changes: Partial<RuleSetVersionEntity>,
  ): Promise<RuleSetVersionEntity> {
    const updated = await this.repository.updateIf(manager, id, status, changes);
    const version = await this.repository.findVersion(id, manager);
    if (version === null) throw new RuleSetNotFoundException();
    if (!updated) {
      if (status === 'DRAFT') throw new RuleSetPublishedException(version);
      throw new ConcurrentRuleSetChangeException();
    }
    return version;
  }

  /** Locks a draft for an edit by `principal`, who becomes its last editor. */
  private lockDraft(
    manager: EntityManager,
    principal: Principal,
    id: string,
  ): Promise<RuleSetVersionEntity> {
    return this.lockVersion(manager, id, 'DRAFT', {
      updatedAt: new Date(),
      lastEditor: this.staffTokens.token(principal.accountId),
    });
  }

  private async supersede(
    manager: EntityManager,
    previous: RuleSetVersionEntity,
    now: Date,
  ): Promise<void> {
    const changes = { status: 'SUPERSEDED' as const, updatedAt: now };
    if (!(await this.repository.updateIf(manager, previous.id, 'ACTIVE', changes))) {
      throw new ConcurrentRuleSetChangeException();
    }
  }

  private async copyRules(manager: EntityManager, fromId: string, toId: string): Promise<number> {
    const rules = await this.repository.findRules([fromId], manager);
    await this.repository.insertRules(
      manager,
      rules.map((rule, position) => ({ ...rule, id: randomUUID(), ruleSetId: toId, position })),
    );
    return rules.length;
  }

  /** The whole version compiles (each rule did when saved; this guards against engine changes). */
  private assertSetCompiles(version: RuleSetVersionEntity, rules: readonly RuleEntity[]): void {
    try {
      compile([toRuleSetDefinition(version, rules)]);
    } catch (error) {
      if (!(error instanceof RuleCompileError)) throw error;
      throw new InvalidRuleException(ruleErrorMessage(error), 'ruleSetId', error.code);
    }
  }

  /** Rebuilds the active rules; a failure is logged and the previous set stays in use. */
  private async recompile(): Promise<number> {
    try {
      return await this.active.changed();
    } catch (error) {
      this.logger.error(
        `Recompiling the active rules failed; the previous set stays in use: ${error instanceof Error ? error.message : 'error'}`,
      );
      return this.active.current().generation;
    }
  }

  /**
   * Two writers racing on one jurisdiction: the loser gets CONFLICT — from the unique indexes
   * (one draft, one active version, one number), or from PostgreSQL breaking a deadlock
   * between a publication and a rollback.
   */
  private async writing<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error) || isDeadlock(error)) {
        throw new ConcurrentRuleSetChangeException();
      }
      throw error;
    }
  }
}

/** PostgreSQL gave up one of two transactions waiting on each other (40P01, 40001). */
function isDeadlock(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return code === '40P01' || code === '40001';
}

/** The reason given, trimmed (null if none); an emergency needs one (BAD_USER_INPUT). */
function rollbackReason(options: RollbackOptions): string | null {
  const reason = options.reason?.trim() ?? '';
  if (options.emergency && reason === '') {
    throw new BadUserInputException(
      'An emergency rollback publishes without a second officer: give the reason for it.',
      { fields: ['reason'] },
    );
  }
  if (reason.length > ROLLBACK_REASON_MAX) {
    throw new BadUserInputException(`reason must be at most ${ROLLBACK_REASON_MAX} characters.`, {
      fields: ['reason'],
    });
  }
  return reason === '' ? null : reason;
}

function where(version: RuleSetVersionEntity) {
  return {
    ruleSetId: version.id,
    jurisdiction: version.jurisdiction,
    version: version.version,
  };
}

/** Whether two versions have the same rules in the same order (ids aside). */
function sameRules(a: readonly RuleEntity[], b: readonly RuleEntity[]): boolean {
  const content = (rules: readonly RuleEntity[]) =>
    JSON.stringify(rules.map((rule) => ({ ...snapshot(rule), position: undefined })));
  return content(a) === content(b);
}

/** A rule as the audit log keeps it (before/after). */
function snapshot(rule: RuleEntity): Record<string, unknown> {
  const content: RuleContent & { position: number } = {
    name: rule.name,
    matcherKind: rule.matcherKind,
    terms: rule.terms,
    pattern: rule.pattern,
    piiKinds: rule.piiKinds,
    exclude: rule.exclude,
    matchOptions: rule.matchOptions,
    action: rule.action,
    boardKinds: rule.boardKinds,
    fields: rule.fields,
    legalBasis: rule.legalBasis,
    explanation: rule.explanation,
    enabled: rule.enabled,
    position: rule.position,
  };
  return content;
}

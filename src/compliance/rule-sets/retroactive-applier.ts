import { Injectable, Logger } from '@nestjs/common';
import type { AuditActor } from '../../audit/audit-trail.service';

/** A version just published with `applyRetroactively: true`. */
export interface RetroactivePublication {
  readonly ruleSetId: string;
  readonly jurisdiction: string;
  readonly version: number;
  readonly publishedAt: Date;
  /** `ActiveRuleSets.current().generation` that already includes this version. */
  readonly generation: number;
  /** The publishing officer, who the run's audit entries name. */
  readonly actor: AuditActor;
}

/**
 * Re-evaluates existing content against a newly published version (SPEC §4: existing content
 * is re-evaluated in batches and withheld, held or flagged accordingly). The discussions
 * enforcement implements it and registers it with `RetroactiveApplierRegistry.register`.
 *
 * `apply` is called once per publication, after the transaction has committed and the
 * compiled rules include the new version. It should schedule the work and resolve promptly;
 * the batches run afterwards. A rejection is logged and does not undo the publication.
 */
export interface RetroactiveApplier {
  apply(publication: RetroactivePublication): Promise<void>;
}

/** The applier in place until the discussions enforcement registers its own: applies nothing. */
export class NoRetroactiveApplier implements RetroactiveApplier {
  private readonly logger = new Logger('RetroactiveApplier');

  apply(publication: RetroactivePublication): Promise<void> {
    this.logger.warn(
      `Rule set ${publication.ruleSetId} (${publication.jurisdiction} v${publication.version}) was published with applyRetroactively, but no retroactive applier is registered: existing content was not re-evaluated.`,
    );
    return Promise.resolve();
  }
}

/**
 * Where the retroactive applier plugs in. The compliance module cannot depend on the content
 * modules (they depend on it), so the implementation registers itself here at start-up
 * (`onModuleInit`) instead of being injected.
 */
@Injectable()
export class RetroactiveApplierRegistry {
  private applier: RetroactiveApplier = new NoRetroactiveApplier();
  private registered = false;

  /** Installs the applier; a second registration is a programming error. */
  register(applier: RetroactiveApplier): void {
    if (this.registered) throw new Error('A retroactive applier is already registered');
    this.applier = applier;
    this.registered = true;
  }

  current(): RetroactiveApplier {
    return this.applier;
  }
}

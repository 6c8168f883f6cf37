import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Mutex } from 'async-mutex';
import { ClusterEvents } from '../../infrastructure/events/cluster-events';
import { JurisdictionsService } from '../jurisdictions/jurisdictions.service';
import {
  compile,
  decideOutcome,
  evaluatePost,
  redact,
  type BoardKind,
  type CompiledRules,
  type PostEvaluation,
  type RuleSetDefinition,
} from '../rule-engine';
import { RuleSetNotFoundException } from '../compliance.exception';
import { toRuleSetDefinition } from './rule-set.mapper';
import { RuleSetsRepository } from './rule-sets.repository';

/** The compiled active rules and the number of the swap that installed them. */
export interface ActiveRules {
  readonly compiled: CompiledRules;
  /** 0 before the first load, then +1 per swap. */
  readonly generation: number;
}

export interface PostToEvaluate {
  readonly title?: string | null;
  readonly body: string;
  readonly boardKind: BoardKind;
  /**
   * The board's and the author's jurisdiction codes. They are expanded here (countries of
   * subdivisions, groups): `['DE', 'US-CA']` governs as `['DE', 'EU', 'US-CA', 'US']`.
   * Codes already expanded are harmless.
   */
  readonly governingJurisdictions: readonly string[];
  /**
   * More text published with the post and judged as its body: a poll's question and options.
   * The decision covers them; each comes back redacted, in order, in `redactedExtras`.
   */
  readonly extras?: readonly string[];
}

export interface ActivePostEvaluation extends PostEvaluation {
  /** `extras`, each with governing REDACT rules' matches masked. */
  readonly redactedExtras: readonly string[];
  /** The generation of the rules that judged the post. */
  readonly generation: number;
  /** The governing jurisdictions after expansion. */
  readonly governingJurisdictions: readonly string[];
}

/**
 * Every ACTIVE rule set version compiled into one `CompiledRules` (one automaton for all
 * terms), loaded at start-up and rebuilt after each publication or rollback commits.
 *
 * The rebuild reads and compiles outside any transaction and then replaces the reference in
 * one assignment: a reader holds either the previous complete set or the new complete set,
 * never a mixture. Rebuilds are serialised, so a slow one never overwrites a newer one.
 *
 * The instance that publishes or rolls back rebuilds at once (`changed()`) and announces it;
 * every other instance of the deployment rebuilds when the announcement arrives over Redis,
 * and after a lost Redis connection comes back (announcements may have been missed
 * meanwhile). docs/compliance.md, "Compiled-rules cache".
 */
@Injectable()
export class ActiveRuleSets implements OnModuleInit {
  private readonly logger = new Logger(ActiveRuleSets.name);
  private readonly rebuilds = new Mutex();
  private state: ActiveRules = { compiled: compile([]), generation: 0 };

  constructor(
    private readonly repository: RuleSetsRepository,
    private readonly jurisdictions: JurisdictionsService,
    private readonly cluster: ClusterEvents,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    const rebuild = (): void => {
      this.reload().catch((error: unknown) =>
        this.logger.error({
          msg: 'Rebuilding the active rules failed; the previous set stays in use',
          err: error,
        }),
      );
    };
    await this.cluster.listen('rules', rebuild);
    this.cluster.onReconnect(rebuild);
  }

  /**
   * The active versions changed (a publication or rollback committed): tells the other
   * instances and rebuilds here. Resolves to this instance's new generation.
   */
  changed(): Promise<number> {
    this.cluster.announce('rules');
    return this.reload();
  }

  /** The rules to judge with now. Keep the returned object for a whole post (title and body). */
  current(): ActiveRules {
    return this.state;
  }

  /**
   * Re-reads every ACTIVE version, compiles them and swaps them in; resolves to the new
   * generation. Throws (and keeps the previous set) when the store cannot be read or a rule
   * no longer compiles.
   */
  reload(): Promise<number> {
    return this.rebuilds.runExclusive(async () => {
      const started = performance.now();
      const definitions = await this.activeDefinitions();
      const compiled = compile(definitions);
      const generation = this.state.generation + 1;
      this.state = { compiled, generation };
      this.logger.log(
        `Active rules generation ${generation}: ${compiled.stats.ruleSets} rule sets, ${compiled.stats.rules} rules, ${compiled.stats.patterns} patterns, compiled in ${Math.round(performance.now() - started)} ms`,
      );
      return generation;
    });
  }

  /**
   * Judges a post (title and body) by every active rule set, the given jurisdictions (expanded)
   * governing. What thread and comment creation and edits call.
   */
  evaluatePost(post: PostToEvaluate): ActivePostEvaluation {
    const { compiled, generation } = this.state;
    const governingJurisdictions = this.jurisdictions.expandAll(post.governingJurisdictions);
    const context = { governingJurisdictions, boardKind: post.boardKind };
    const evaluation = evaluatePost(compiled, { title: post.title, body: post.body }, context);
    const extras = post.extras ?? [];
    if (extras.length === 0) {
      return { ...evaluation, redactedExtras: [], generation, governingJurisdictions };
    }
    const judged = extras.map((text) => compiled.evaluate(text, { ...context, field: 'body' }));
    const outcome = decideOutcome(
      [...evaluation.title.hits, ...evaluation.body.hits, ...judged.flatMap((e) => e.hits)],
      governingJurisdictions,
    );
    return {
      ...evaluation,
      outcome,
      redactedExtras: judged.map((e, i) => redact(extras[i], e.outcome.redactions)),
      generation,
      governingJurisdictions,
    };
  }

  /** One version (a draft, say) compiled on its own, e.g. to preview its impact. NOT_FOUND if missing. */
  async compileVersion(ruleSetId: string): Promise<CompiledRules> {
    return compile([await this.definitionOf(ruleSetId)]);
  }

  /** One version in the rule engine's terms. NOT_FOUND if missing. */
  async definitionOf(ruleSetId: string): Promise<RuleSetDefinition> {
    const version = await this.repository.findVersion(ruleSetId);
    if (version === null) throw new RuleSetNotFoundException();
    return toRuleSetDefinition(version, await this.repository.findRules([version.id]));
  }

  /**
   * Every ACTIVE version in the rule engine's terms, read from the store now (not the cached
   * set): e.g. to compile the active sets with a draft in place of its jurisdiction's version.
   */
  async activeDefinitions(): Promise<RuleSetDefinition[]> {
    const versions = await this.repository.findActive();
    const rules = await this.repository.findRules(versions.map((v) => v.id));
    return versions.map((version) =>
      toRuleSetDefinition(
        version,
        rules.filter((rule) => rule.ruleSetId === version.id),
      ),
    );
  }
}

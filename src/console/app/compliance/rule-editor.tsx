import { useState } from 'preact/hooks';
import { useMutation } from '@urql/preact';
import type { CombinedError } from '@urql/core';
import { ErrorNotice, extensionsOf } from '../errors';
import {
  ACTION_CONSEQUENCE,
  ACTION_HELP,
  ACTIONS_LEAST_FIRST,
  DEFAULT_RULE_ACTION,
  ADD_RULE,
  BOARD_KINDS,
  MATCH_OPTION_HELP,
  MATCH_OPTIONS,
  MATCHER_KINDS,
  PII_KINDS,
  POST_FIELDS,
  UPDATE_RULE,
  type BoardKind,
  type MatchOption,
  type MatcherKind,
  type PostField,
  type Rule,
  type RuleAction,
} from './api';

interface RuleForm {
  name: string;
  kind: MatcherKind;
  terms: string;
  pattern: string;
  piiKinds: string[];
  exclude: string;
  /** KEYWORDS and PROFANITY: each evasion option on, off or left to its default. */
  options: Record<MatchOption, OptionChoice>;
  action: RuleAction;
  boardKinds: BoardKind[];
  fields: PostField[];
  legalBasis: string;
  explanation: string;
  enabled: boolean;
}

type OptionChoice = 'default' | 'on' | 'off';

const DEFAULT_OPTIONS = Object.fromEntries(MATCH_OPTIONS.map((o) => [o, 'default'])) as Record<
  MatchOption,
  OptionChoice
>;

const choiceOf = (value: boolean | null): OptionChoice =>
  value === null ? 'default' : value ? 'on' : 'off';

/** The options as MatchOptionsInput: null where the default applies. */
const optionsInput = (options: Record<MatchOption, OptionChoice>) =>
  Object.fromEntries(
    MATCH_OPTIONS.map((o) => [o, options[o] === 'default' ? null : options[o] === 'on']),
  );

const EMPTY: RuleForm = {
  name: '',
  kind: 'KEYWORDS',
  terms: '',
  pattern: '',
  piiKinds: [],
  exclude: '',
  options: DEFAULT_OPTIONS,
  action: DEFAULT_RULE_ACTION,
  boardKinds: [],
  fields: [],
  legalBasis: '',
  explanation: '',
  enabled: true,
};

function formOf(rule: Rule): RuleForm {
  const m = rule.matcher;
  return {
    name: rule.name,
    kind: m.kind,
    terms: m.terms.join('\n'),
    pattern: m.pattern ?? '',
    piiKinds: m.piiKinds,
    exclude: m.exclude.join('\n'),
    options: Object.fromEntries(MATCH_OPTIONS.map((o) => [o, choiceOf(m.options[o])])) as Record<
      MatchOption,
      OptionChoice
    >,
    action: rule.action,
    boardKinds: rule.boardKinds,
    fields: rule.fields,
    legalBasis: rule.legalBasis,
    explanation: rule.explanation,
    enabled: rule.enabled,
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The RuleInput: each matcher field only on the kind that uses it (the server insists). */
function inputOf(form: RuleForm): object {
  const matcher = (() => {
    switch (form.kind) {
      case 'KEYWORDS':
        return { kind: form.kind, terms: lines(form.terms), options: optionsInput(form.options) };
      case 'REGEX':
        return { kind: form.kind, pattern: form.pattern };
      case 'PROFANITY':
        return {
          kind: form.kind,
          terms: lines(form.terms),
          exclude: lines(form.exclude),
          options: optionsInput(form.options),
        };
      case 'PII':
        return { kind: form.kind, piiKinds: form.piiKinds };
    }
  })();
  return {
    name: form.name,
    matcher,
    action: form.action,
    boardKinds: form.boardKinds,
    fields: form.fields,
    legalBasis: form.legalBasis,
    explanation: form.explanation,
    enabled: form.enabled,
  };
}

const toggle = <T,>(list: T[], value: T, on: boolean): T[] =>
  on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);

/**
 * Adds a rule to a draft, or edits one (`rule` given). The server compiles the rule; its
 * refusal (BAD_USER_INPUT, e.g. a regex RE2 cannot run) is shown beside the form, the field it
 * names marked invalid, and the form keeps what was typed.
 */
export function RuleEditor({
  ruleSetId,
  rule,
  onSaved,
  onCancel,
}: {
  ruleSetId: string;
  rule: Rule | null;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<RuleForm>(rule === null ? EMPTY : formOf(rule));
  const [added, addRule] = useMutation(ADD_RULE);
  const [updated, updateRule] = useMutation(UPDATE_RULE);
  const [error, setError] = useState<CombinedError | undefined>(undefined);
  const busy = added.fetching || updated.fetching;
  const set = <K extends keyof RuleForm>(key: K, value: RuleForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const prefix = rule === null ? 'new-rule' : `rule-${rule.id}`;
  const errorId = `${prefix}-error`;
  const badFields = extensionsOf(error).fields;
  const badField =
    Array.isArray(badFields) && typeof badFields[0] === 'string'
      ? badFields[0].replace(/^input\.?/, '')
      : null;
  /** Props marking the control the server's error names. */
  const invalid = (field: string) =>
    error !== undefined && badField === field
      ? { 'aria-invalid': true as const, 'aria-describedby': errorId }
      : {};

  async function submit(event: Event) {
    event.preventDefault();
    const input = inputOf(form);
    const answer =
      rule === null
        ? await addRule({ ruleSetId, input })
        : await updateRule({ ruleId: rule.id, input });
    setError(answer.error);
    if (answer.error === undefined) {
      if (rule === null) setForm(EMPTY);
      onSaved();
    }
  }

  const title = rule === null ? 'Add a rule' : `Edit rule “${rule.name}”`;
  return (
    <form
      class="card stack cmp-rule-form"
      aria-labelledby={`${prefix}-title`}
      onSubmit={(e) => void submit(e)}
    >
      <h3 id={`${prefix}-title`}>{title}</h3>
      {error !== undefined && (
        <div id={errorId}>
          <ErrorNotice error={error} title="Not saved:" />
        </div>
      )}
      <div class="cmp-form-grid">
        <label>
          Name
          <input
            value={form.name}
            required
            maxLength={120}
            onInput={(e) => set('name', e.currentTarget.value)}
            {...invalid('name')}
          />
        </label>
        <label>
          Matcher
          <select
            value={form.kind}
            onChange={(e) => set('kind', e.currentTarget.value as MatcherKind)}
          >
            {MATCHER_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select
            value={form.action}
            aria-describedby="rule-action-consequence"
            onChange={(e) => set('action', e.currentTarget.value as RuleAction)}
          >
            {ACTIONS_LEAST_FIRST.map((action) => (
              <option key={action} value={action}>
                {action} — {ACTION_HELP[action]}
                {action === DEFAULT_RULE_ACTION ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p id="rule-action-consequence" class="cmp-consequence" data-testid="action-consequence">
        <strong>{form.action}:</strong> {ACTION_CONSEQUENCE[form.action]}
        {form.action === DEFAULT_RULE_ACTION &&
          ' The least destructive action, the default: choose another only when the legal basis requires it.'}
      </p>

      {form.kind === 'KEYWORDS' && (
        <label>
          Terms, one per line
          <textarea
            value={form.terms}
            rows={3}
            onInput={(e) => set('terms', e.currentTarget.value)}
            {...invalid('matcher.terms')}
          />
          <span class="cmp-hint">
            Latin terms match whole words; <kbd>scam*</kbd> also matches “scammers”. CJK terms match
            anywhere.
          </span>
        </label>
      )}
      {form.kind === 'REGEX' && (
        <label>
          Pattern (RE2)
          <input
            class="code"
            value={form.pattern}
            required
            onInput={(e) => set('pattern', e.currentTarget.value)}
            {...invalid('matcher.pattern')}
          />
          <span class="cmp-hint">
            No backreferences or lookaround; <kbd>(?i)</kbd> ignores case.
          </span>
        </label>
      )}
      {form.kind === 'PROFANITY' && (
        <div class="grid-2 cmp-even">
          <label>
            Extra words, one per line
            <textarea
              value={form.terms}
              rows={2}
              onInput={(e) => set('terms', e.currentTarget.value)}
              {...invalid('matcher.terms')}
            />
          </label>
          <label>
            Words of the list to leave out, one per line
            <textarea
              value={form.exclude}
              rows={2}
              onInput={(e) => set('exclude', e.currentTarget.value)}
              {...invalid('matcher.exclude')}
            />
          </label>
        </div>
      )}
      {(form.kind === 'KEYWORDS' || form.kind === 'PROFANITY') && (
        <details class="cmp-options" {...invalid('matcher.options')}>
          <summary>Evasions read</summary>
          <p class="cmp-hint">
            Each trades a little precision for recall; turn one off for a rule whose terms it
            misreads. testRules shows which one found each hit.
          </p>
          <div class="cmp-option-grid">
            {MATCH_OPTIONS.map((option) => (
              <label key={option}>
                {MATCH_OPTION_HELP[option]}
                <select
                  value={form.options[option]}
                  onChange={(e) =>
                    set('options', {
                      ...form.options,
                      [option]: e.currentTarget.value as OptionChoice,
                    })
                  }
                >
                  <option value="default">default</option>
                  <option value="on">on</option>
                  <option value="off">off</option>
                </select>
              </label>
            ))}
          </div>
        </details>
      )}
      {form.kind === 'PII' && (
        <fieldset {...invalid('matcher.piiKinds')}>
          <legend>PII detectors (none ticked: all)</legend>
          <div class="cmp-checks">
            {PII_KINDS.map((kind) => (
              <label class="inline" key={kind}>
                <input
                  type="checkbox"
                  checked={form.piiKinds.includes(kind)}
                  onChange={(e) =>
                    set('piiKinds', toggle(form.piiKinds, kind, e.currentTarget.checked))
                  }
                />
                {kind}
              </label>
            ))}
          </div>
        </fieldset>
      )}

      <div class="grid-2 cmp-even">
        <fieldset>
          <legend>Board kinds (none ticked: all)</legend>
          <div class="cmp-checks">
            {BOARD_KINDS.map((kind) => (
              <label class="inline" key={kind}>
                <input
                  type="checkbox"
                  checked={form.boardKinds.includes(kind)}
                  onChange={(e) =>
                    set('boardKinds', toggle(form.boardKinds, kind, e.currentTarget.checked))
                  }
                />
                {kind}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>Fields (none ticked: title and body)</legend>
          <div class="cmp-checks">
            {POST_FIELDS.map((field) => (
              <label class="inline" key={field}>
                <input
                  type="checkbox"
                  checked={form.fields.includes(field)}
                  onChange={(e) =>
                    set('fields', toggle(form.fields, field, e.currentTarget.checked))
                  }
                />
                {field}
              </label>
            ))}
          </div>
        </fieldset>
      </div>

      <label>
        Legal basis
        <input
          value={form.legalBasis}
          required
          maxLength={500}
          placeholder="e.g. StGB §86a"
          onInput={(e) => set('legalBasis', e.currentTarget.value)}
          {...invalid('legalBasis')}
        />
      </label>
      <label>
        Explanation shown to the author
        <textarea
          value={form.explanation}
          required
          rows={2}
          maxLength={2000}
          onInput={(e) => set('explanation', e.currentTarget.value)}
          {...invalid('explanation')}
        />
      </label>
      <label class="inline">
        <input
          type="checkbox"
          checked={form.enabled}
          onChange={(e) => set('enabled', e.currentTarget.checked)}
        />
        Enabled
      </label>
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {rule === null ? 'Add rule' : 'Save rule'}
        </button>
        {rule !== null && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

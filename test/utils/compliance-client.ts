import type { SignedInClient } from './identity-client';
import type { GraphqlResponse } from './test-app';

/** The answer's data; throws (failing the test) when the answer has errors. */
export async function dataOf<T>(promise: Promise<GraphqlResponse<T>>): Promise<T> {
  const res = await promise;
  if (res.errors !== undefined || res.data === null || res.data === undefined)
    throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** Makes each client a compliance officer, through the admin's `grantRole`. */
export async function grantOfficers(
  admin: SignedInClient,
  officers: readonly SignedInClient[],
): Promise<void> {
  for (const officer of officers) {
    await dataOf(
      admin.gql('mutation ($e: String!) { grantRole(email: $e, role: COMPLIANCE_OFFICER) }', {
        e: officer.email,
      }),
    );
  }
}

/** A draft for `jurisdiction` with `rules` added by `officer`; returns its id. */
export async function draftRuleSet(
  officer: SignedInClient,
  jurisdiction: string,
  rules: readonly object[],
  copyActive = false,
): Promise<string> {
  const { createRuleSetDraft } = await dataOf(
    officer.gql<{ createRuleSetDraft: { id: string } }>(
      'mutation ($j: String!, $c: Boolean) { createRuleSetDraft(jurisdiction: $j, copyActive: $c) { id } }',
      { j: jurisdiction, c: copyActive },
    ),
  );
  for (const input of rules) {
    await dataOf(
      officer.gql(
        'mutation ($id: ID!, $input: RuleInput!) { addRule(ruleSetId: $id, input: $input) { id } }',
        { id: createRuleSetDraft.id, input },
      ),
    );
  }
  return createRuleSetDraft.id;
}

export const PUBLISH_RULE_SET =
  'mutation ($id: ID!, $r: Boolean) { publishRuleSet(ruleSetId: $id, applyRetroactively: $r) { id version status } }';

/** Publishes a draft as `officer` (another officer than its last editor, for four eyes). */
export function publishRuleSet(
  officer: SignedInClient,
  id: string,
  applyRetroactively = false,
): Promise<{ publishRuleSet: { id: string; version: number; status: string } }> {
  return dataOf(officer.gql(PUBLISH_RULE_SET, { id, r: applyRetroactively }));
}

/**
 * China forbids "tiananmen": a post holding it is withheld there (an author elsewhere may post
 * it). Drafted by `drafter`, published by `publisher` (two officers, for four eyes).
 */
export async function forbidTiananmenInChina(
  drafter: SignedInClient,
  publisher: SignedInClient,
): Promise<void> {
  const ruleSet = await draftRuleSet(drafter, 'CN', [
    {
      name: 'Sensitive history',
      matcher: { kind: 'KEYWORDS', terms: ['tiananmen'] },
      action: 'BLOCK',
      legalBasis: 'Cybersecurity Law art. 12',
      explanation: 'Not allowed in China.',
    },
  ]);
  await publishRuleSet(publisher, ruleSet, false);
}

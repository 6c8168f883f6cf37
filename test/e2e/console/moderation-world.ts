import { dataOf, draftRuleSet, publishRuleSet } from '../../utils/compliance-client';
import type { ConsoleWorld } from '../../utils/console-world';
import type { SignedInClient } from '../../utils/identity-client';

/** Posts containing it are held for review by the US rule set `holdRule` publishes. */
export const HOLD_WORD = 'walkout';

/**
 * The moderation suites' common setup: `moderator` gets the MODERATOR role, and the officers
 * publish a US rule "Collective action" that holds posts containing HOLD_WORD.
 */
export async function holdRuleAndModerator(
  world: ConsoleWorld,
  moderator: SignedInClient,
): Promise<void> {
  await dataOf(
    world.admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
      e: moderator.email,
    }),
  );
  const draft = await draftRuleSet(world.officerA, 'US', [
    {
      name: 'Collective action',
      matcher: { kind: 'KEYWORDS', terms: [HOLD_WORD] },
      action: 'HOLD',
      legalBasis: 'Community guidelines §2',
      explanation: 'Posts about walkouts are reviewed before they appear.',
    },
  ]);
  await publishRuleSet(world.officerB, draft);
}

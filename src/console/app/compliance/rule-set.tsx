import { Page } from '../page';

export function RuleSetPage({ id }: { id: string }) {
  return (
    <Page title="RuleSetPage">
      <p>{id}</p>
    </Page>
  );
}

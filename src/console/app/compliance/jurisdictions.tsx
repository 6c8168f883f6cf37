import { Page } from '../page';

export function JurisdictionsPage() {
  return (
    <Page title="JurisdictionsPage">
      <p>To be built.</p>
    </Page>
  );
}

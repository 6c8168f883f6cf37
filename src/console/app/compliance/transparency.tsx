import { Page } from '../page';

export function TransparencyPage() {
  return (
    <Page title="TransparencyPage">
      <p>To be built.</p>
    </Page>
  );
}

import { Page } from '../page';

export function QueuePage() {
  return (
    <Page title="QueuePage">
      <p>To be built.</p>
    </Page>
  );
}

import { Page } from '../page';

export function ReviewItemPage({ id }: { id: string }) {
  return (
    <Page title="ReviewItemPage">
      <p>{id}</p>
    </Page>
  );
}

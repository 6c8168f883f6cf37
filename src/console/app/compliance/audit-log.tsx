import { Page } from '../page';

export function AuditLogPage() {
  return (
    <Page title="AuditLogPage">
      <p>To be built.</p>
    </Page>
  );
}

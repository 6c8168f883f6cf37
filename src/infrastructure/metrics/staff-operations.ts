/**
 * Requests that called a field only staff may call (`@Roles`), marked by the AuthGuard. Metrics
 * count them under one operation label, `staff`, instead of the client's operation name, so
 * `/metrics` does not show which staff operations ran when (docs/anonymity.md, "Metrics").
 */
const staffRequests = new WeakSet<object>();

export function markStaffOperation(request: object): void {
  staffRequests.add(request);
}

export function isStaffOperation(request: object | undefined): boolean {
  return request !== undefined && staffRequests.has(request);
}

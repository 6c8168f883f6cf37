import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { gql } from '@urql/preact';
import type { ReasonCode, ReviewDecision } from './api';
import { DECISION_WORDS, enumWords, plural } from './words';

const REASON_CODES = gql`
  query ConsoleBulkReasonCodes {
    reasonCodes {
      code
      category
      label
    }
  }
`;

/** What a bulk decision did: how many were decided, and each failure with its item named. */
export interface BulkOutcome {
  decision: ReviewDecision;
  decided: number;
  failures: Array<{ id: string; title: string; message: string; code: string }>;
}

/**
 * The bar of a bulk decision on the ticked rows: Approve, Reject with a reason code, Ignore
 * (decideReviewItems), and what the last one did.
 */
export function BulkBar({
  count,
  busy,
  outcome,
  onDecide,
  onClear,
}: {
  count: number;
  busy: boolean;
  outcome: BulkOutcome | null;
  onDecide: (decision: ReviewDecision, reasonCode: string | null) => void;
  onClear: () => void;
}) {
  const [codes] = useQuery<{ reasonCodes: ReasonCode[] }>({ query: REASON_CODES });
  const [reasonCode, setReasonCode] = useState('');
  const [missing, setMissing] = useState(false);
  const none = count === 0 || busy;
  return (
    <section class="bulk-bar" aria-label="Bulk decision">
      <div class="bulk-actions">
        <strong>{plural(count, 'item')} selected</strong>
        <button
          type="button"
          class="primary"
          disabled={none}
          onClick={() => onDecide('APPROVE', null)}
        >
          Approve selected
        </button>
        <label class="bulk-reason">
          Reason to reject
          <select
            name="bulkReasonCode"
            value={reasonCode}
            aria-invalid={missing && reasonCode === '' ? 'true' : undefined}
            onChange={(e) => {
              setReasonCode(e.currentTarget.value);
              setMissing(false);
            }}
          >
            <option value="">Choose a reason…</option>
            {(codes.data?.reasonCodes ?? []).map((code) => (
              <option key={code.code} value={code.code}>
                {enumWords(code.category)}: {code.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          class="danger primary"
          disabled={none}
          onClick={() => {
            if (reasonCode === '') {
              setMissing(true);
              return;
            }
            onDecide('REJECT', reasonCode);
          }}
        >
          Reject selected
        </button>
        <button type="button" disabled={none} onClick={() => onDecide('IGNORE', null)}>
          Ignore selected
        </button>
        <button type="button" class="link-button" onClick={onClear}>
          Clear selection
        </button>
      </div>
      {missing && reasonCode === '' && (
        <p class="field-error" role="alert">
          Choose a reason to reject: a rejection needs one.
        </p>
      )}
      {busy && (
        <p class="muted small" role="status">
          Sending…
        </p>
      )}
      {outcome !== null && (
        <div
          class={`notice ${outcome.failures.length === 0 ? 'notice-ok' : 'notice-error'} bulk-outcome`}
          role={outcome.failures.length === 0 ? 'status' : 'alert'}
        >
          <p>
            {DECISION_WORDS[outcome.decision]}: {plural(outcome.decided, 'item')}.
            {outcome.failures.length > 0 &&
              ` ${plural(outcome.failures.length, 'item')} could not be decided and ${
                outcome.failures.length === 1 ? 'stays' : 'stay'
              } selected:`}
          </p>
          {outcome.failures.length > 0 && (
            <ul>
              {outcome.failures.map((failure) => (
                <li key={failure.id} data-id={failure.id} data-code={failure.code}>
                  <strong>{failure.title}</strong>: {failure.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

import type { MetricsService } from '../metrics/metrics.service';
import { noteRequestOperation } from '../logging/request-operation';
import { isStaffOperation } from '../metrics/staff-operations';
import type { GraphqlContext } from './graphql.module';
import type { RequestHooksFactory } from './combined.plugin';

/**
 * Records every GraphQL request's latency and outcome by operation name and type (operations
 * that called a staff-only field are all counted as `staff`), and the errors of its answer by
 * code, with rate-limit refusals by budget.
 */
export function metricsHooks(metrics: MetricsService): RequestHooksFactory<GraphqlContext> {
  return () => {
    const started = process.hrtime.bigint();
    return {
      willSendResponse({ operationName, operation, errors, contextValue, response }) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const outcome = errors !== undefined && errors.length > 0 ? 'error' : 'ok';
        const labels = metrics.recordGraphqlRequest(
          operationName,
          operation?.operation,
          outcome,
          seconds,
          { staff: isStaffOperation(contextValue?.req) },
        );
        // The answer's errors as the client gets them (formatted: a stable extensions.code).
        if (response.body.kind === 'single')
          metrics.countGraphqlErrors(response.body.singleResult.errors ?? []);
        // The request's log line names the operation by the same label.
        if (contextValue?.req !== undefined) noteRequestOperation(contextValue.req, labels);
      },
    };
  };
}

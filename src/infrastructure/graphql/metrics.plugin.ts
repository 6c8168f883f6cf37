import type { ApolloServerPlugin } from '@apollo/server';
import type { MetricsService } from '../metrics/metrics.service';

/** Records every GraphQL request's latency and outcome by operation name and type. */
export function metricsPlugin(metrics: MetricsService): ApolloServerPlugin {
  return {
    requestDidStart() {
      const started = process.hrtime.bigint();
      return Promise.resolve({
        willSendResponse({ operationName, operation, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const outcome = errors !== undefined && errors.length > 0 ? 'error' : 'ok';
          metrics.recordGraphqlRequest(operationName, operation?.operation, outcome, seconds);
          return Promise.resolve();
        },
      });
    },
  };
}

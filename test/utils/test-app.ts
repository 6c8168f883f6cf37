import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { createApp } from '../../src/app.setup';
import { AppConfig } from '../../src/infrastructure/config/app-config';
import { createTestStores, type TestStores } from './test-env';

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export interface TestApp {
  app: INestApplication;
  url: string;
  config: AppConfig;
  /** The environment the app was configured from (to start a CLI on the same stores). */
  env: Record<string, string>;
  /** POST a GraphQL operation over real HTTP, as a client would. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphqlResponse<T>>;
  close(): Promise<void>;
}

/**
 * Boots the real application (same modules, same Express set-up as `npm start`) on a random
 * loopback port with throwaway stores. `env` overrides configuration; `imports` adds test-only
 * modules such as the probe resolver.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  imports: ModuleMetadata['imports'] = [],
  /** Stores owned by the caller (kept on close), e.g. to restart the app on the same data. */
  sharedStores?: TestStores,
): Promise<TestApp> {
  const stores = sharedStores ?? createTestStores();
  const fullEnv = { ...stores.env, ...env };
  const config = AppConfig.fromEnv(fullEnv);
  const app = await createApp(config, imports, { nestLogs: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  let closed = false;
  return {
    app,
    url,
    config,
    env: fullEnv,
    async gql<T>(
      query: string,
      variables?: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphqlResponse<T>, 'status' | 'headers'>;
      return { status: response.status, headers: response.headers, ...body };
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (sharedStores === undefined) await stores.dispose();
    },
  };
}

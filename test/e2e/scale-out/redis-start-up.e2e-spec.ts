import { serverEnv, startServer } from '../../utils/server-process';
import { createTestStores, type TestStores } from '../../utils/test-env';

describe('Start-up with REDIS_URL', () => {
  let stores: TestStores;

  beforeAll(() => {
    stores = createTestStores();
  });
  afterAll(async () => {
    await stores.dispose();
  });

  it('refuses to start when Redis cannot be reached, naming the address but not the password', async () => {
    const env = serverEnv(stores.env, { REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:1' });
    const failure = await startServer(env).then(
      () => new Error('the server started without its Redis'),
      (error: unknown) => error as Error,
    );
    expect(failure.message).toMatch(/exited with 69/);
    // One JSON line, without a stack.
    expect(failure.message).not.toContain('RedisUnavailableError: ');
    expect(failure.message).toContain('Redis at 127.0.0.1:1 cannot be reached');
    expect(failure.message).not.toContain('hunter2');
  });
});

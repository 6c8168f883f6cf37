import { BadRequestException, type LoggerService } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { AppException, ErrorCode, NotFoundException } from '../../common/errors';
import { createErrorFormatter } from './error-formatter';

function resolverError(original: Error): GraphQLError {
  return new GraphQLError(original.message, { originalError: original, path: ['field'] });
}

describe('createErrorFormatter', () => {
  const logged: unknown[] = [];
  const logger = { error: (entry: unknown) => logged.push(entry) } as unknown as LoggerService;
  const sut = createErrorFormatter(logger);

  beforeEach(() => (logged.length = 0));

  it("keeps a feature exception's code, message and details", () => {
    const error = resolverError(
      new AppException(ErrorCode.CONTENT_BLOCKED, 'Blocked here.', { notices: [] }),
    );
    expect(sut({ message: error.message, path: ['field'] }, error)).toEqual({
      message: 'Blocked here.',
      path: ['field'],
      extensions: { code: 'CONTENT_BLOCKED', notices: [] },
    });
  });

  it('maps Nest HTTP exceptions to stable codes', () => {
    const error = resolverError(new BadRequestException(['a is wrong', 'b is wrong']));
    expect(sut({ message: error.message }, error)).toEqual({
      message: 'a is wrong; b is wrong',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const notFound = resolverError(new NotFoundException('No such thread.'));
    expect(sut({ message: 'x' }, notFound).extensions?.code).toBe('NOT_FOUND');
  });

  it('hides an unknown error behind INTERNAL_SERVER_ERROR and logs it', () => {
    const error = resolverError(new Error('SQLITE_CONSTRAINT: secret detail'));
    const formatted = sut(
      { message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] } },
      error,
    );
    expect(formatted.message).toBe('Internal server error.');
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(logged)).toContain('secret detail');
  });

  it('does not trust a code claimed by a foreign error', () => {
    const foreign = Object.assign(new Error('internal'), {
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const error = resolverError(foreign);
    const formatted = sut({ message: 'internal', extensions: { code: 'BAD_USER_INPUT' } }, error);
    expect(formatted.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('passes through errors GraphQL raised about the request itself', () => {
    const error = new GraphQLError('Cannot query field "x" on type "Query".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(
      sut({ message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, error),
    ).toEqual({
      message: 'Cannot query field "x" on type "Query".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

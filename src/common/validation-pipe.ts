import { ValidationPipe } from '@nestjs/common';
import { BadUserInputException } from './errors';

/** Validation of GraphQL inputs (class-validator); failures become BAD_USER_INPUT with the fields named. */
export const validationPipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) =>
    new BadUserInputException(
      errors
        .flatMap((e) => Object.values(e.constraints ?? {}).map((message) => message))
        .join('; ') || 'Invalid input.',
      { fields: errors.map((e) => e.property) },
    ),
});

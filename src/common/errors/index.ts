export * from './app-exception';
export * from './error-code';

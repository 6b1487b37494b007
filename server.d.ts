export * from './src/server';
export { default } from './src/server';

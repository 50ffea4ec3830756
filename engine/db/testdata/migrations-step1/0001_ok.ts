// Test-only: the first step of failing-migrations (same migration, applied alone first).
export { up } from '../failing-migrations/0001_ok.ts';

// Worker-thread bootstrap for the conformance runner: registers tsx (workers do not always
// inherit the parent's loader), then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');

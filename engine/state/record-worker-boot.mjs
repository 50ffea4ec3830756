// Starts record-worker.ts in a worker thread when bligate runs from its TypeScript sources:
// registers tsx's loader in this thread, then loads the worker module.
import { register } from 'tsx/esm/api';

register();
await import('./record-worker.ts');

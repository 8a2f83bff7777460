// Loads test/cli/parallel-worker.ts in a worker thread (tsx's hooks are not inherited by workers).
import { register } from 'tsx/esm/api';

register();
await import('./parallel-worker.ts');

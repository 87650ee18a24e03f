// Worker thread entry (plain JS, so Node can load it before any TypeScript loader exists): registers tsx's
// loader in this thread, then hands tinypool the TypeScript worker. Loader hooks registered in the main thread
// (bin/playforge.js) or by vitest do not reach worker threads, and an `--import tsx` execArgv is not honoured
// by Node 20 workers, so each thread registers its own.
import { register } from 'tsx/esm/api';

register();
const { default: session } = await import('./worker.ts');
export default session;

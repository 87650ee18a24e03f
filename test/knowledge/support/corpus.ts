// The shipped knowledge sources, as the tests see them.
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SOURCES_DIR = fileURLToPath(new URL('../../../knowledge/sources/', import.meta.url));

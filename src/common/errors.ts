// One error family for the whole system: a stable code, a message a user can act on, and where it happened.

export interface SourceLocation {
  file?: string;
  line?: number; // 1-based
  column?: number; // 1-based
  /** Path inside a document, e.g. "features.ema_fast.params.length" or a row number for data files. */
  path?: string;
}

export class PlayforgeError extends Error {
  readonly code: string;
  readonly location: SourceLocation;

  constructor(code: string, message: string, location: SourceLocation = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlayforgeError';
    this.code = code;
    this.location = location;
  }

  /** `file:line:col: message` (the parts that are known), the form editors and CI logs understand. */
  format(): string {
    return formatLocated(this.location, `${this.message} [${this.code}]`);
  }
}

export function formatLocated(loc: SourceLocation, message: string): string {
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(String(loc.line));
  if (loc.line !== undefined && loc.column !== undefined) parts.push(String(loc.column));
  const where = parts.join(':');
  const path = loc.path ? ` (${loc.path})` : '';
  return where ? `${where}: ${message}${path}` : `${message}${path}`;
}

export function isPlayforgeError(e: unknown): e is PlayforgeError {
  return e instanceof PlayforgeError;
}

// Connection strings may carry a password: everything we print or put in an error goes through here first.

/** `postgres://user:secret@host/db` -> `postgres://user:***@host/db`; unparseable input is not echoed. */
export function redactConnectionUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<unparseable connection URL>';
  }
  if (parsed.password) parsed.password = '***';
  // Query parameters such as ?password=... are dropped from the printed form rather than parsed per driver.
  parsed.search = '';
  return parsed.toString();
}

/** Remove a known secret from a driver's message, in case a driver ever echoes it back. */
export function scrubSecret(message: string, url: string): string {
  let secrets: string[];
  try {
    const parsed = new URL(url);
    secrets = [decodeURIComponent(parsed.password), parsed.searchParams.get('password') ?? ''];
  } catch {
    return message;
  }
  return secrets.filter((s) => s.length > 0).reduce((m, s) => m.split(s).join('***'), message);
}

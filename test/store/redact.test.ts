import { describe, expect, it } from 'vitest';
import { redactConnectionUrl } from '../../src/store/index.ts';
import { scrubSecret } from '../../src/store/redact.ts';

describe('connection strings in messages', () => {
  it('hides the password and query parameters, keeps user, host and database', () => {
    expect(redactConnectionUrl('postgres://pf:p%40ss@db.local:5432/play?sslmode=require&password=x')).toBe('postgres://pf:***@db.local:5432/play');
    expect(redactConnectionUrl('redis://:hunter2@127.0.0.1:6379/2')).toBe('redis://:***@127.0.0.1:6379/2');
    expect(redactConnectionUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('does not echo what it cannot parse', () => {
    expect(redactConnectionUrl('host=db password=hunter2')).toBe('<unparseable connection URL>');
  });

  it('scrubs a password a driver message might repeat', () => {
    expect(scrubSecret('auth failed for p@ss and x', 'postgres://pf:p%40ss@h/db?password=x')).toBe('auth failed for *** and ***');
    expect(scrubSecret('nothing to hide', 'postgres://h/db')).toBe('nothing to hide');
  });
});

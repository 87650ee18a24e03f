// Append a line to the audit trail (the table refuses updates and deletes).
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_INVALID } from '../errors.ts';
import type { SqlQueryable } from './sql-client.ts';

export interface AuditEntry {
  /** Who: cli, api, live-agent, a user's name. */
  actor: string;
  /** What, as a dotted verb: play.vetted, live.kill_switch. */
  action: string;
  entity?: { type: string; id: string };
  /** Anything that explains the action. Never put a secret here. */
  details?: Record<string, unknown>;
}

export interface AuditRecord {
  id: number;
  at: Date;
}

export interface AuditLog {
  append(entry: AuditEntry, tx?: SqlQueryable): Promise<AuditRecord>;
}

/** Pass `tx` to append as part of a caller's transaction, so the record commits (or not) with the change. */
export function createAuditLog(db: SqlQueryable): AuditLog {
  return {
    async append(entry, tx) {
      if (!entry.actor || !entry.action) {
        throw new PlayforgeError(STORE_INVALID, 'an audit entry needs an actor and an action');
      }
      const { rows } = await (tx ?? db).query<AuditRecord>(
        `insert into audit_log (actor, action, entity_type, entity_id, details) values ($1, $2, $3, $4, $5) returning id, at`,
        [entry.actor, entry.action, entry.entity?.type ?? null, entry.entity?.id ?? null, JSON.stringify(entry.details ?? {})],
      );
      return rows[0];
    },
  };
}

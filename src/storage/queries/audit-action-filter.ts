import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Schema } from '../schema.js';

// The audit log's Action filter (docs/product/audit-log.md#reading-and-exporting): every word typed must match. A plain
// word matches the start of the action or of one of its words (split at "." and "_"), so `user` finds user.*,
// `password` finds user.password_reset and user.password_changed, `role changed` finds user.role_changed. A dotted
// name matches that action exactly (auth.login is not auth.login_failed); a trailing `.` or `*` (user.*) matches the
// whole area, as before.

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The words of an Action filter: lower case, `*` dropped, at most 5 (bounded work). */
export function actionFilterTerms(action: string): string[] {
  return action
    .toLowerCase()
    .replace(/\*/g, ' ')
    .split(/\s+/)
    .filter((term) => term !== '')
    .slice(0, 5);
}

function like(eb: ExpressionBuilder<Schema, 'audit_events'>, pattern: string) {
  // An explicit ESCAPE: SQLite has no default escape character, PostgreSQL's is the same backslash.
  return sql<boolean>`${eb.ref('action')} like ${pattern} escape '\\'`;
}

/** Narrows `select` to events whose action matches every word of `action` (nothing when it is empty). */
export function whereActionMatches<O>(
  select: SelectQueryBuilder<Schema, 'audit_events', O>,
  action: string | undefined,
): SelectQueryBuilder<Schema, 'audit_events', O> {
  let narrowed = select;
  for (const term of actionFilterTerms(action ?? '')) {
    const escaped = escapeLike(term);
    if (term.endsWith('.')) {
      // `user.` (or `user.*`): everything in that area.
      narrowed = narrowed.where((eb) => like(eb, `${escaped}%`));
    } else if (term.includes('.')) {
      // A dotted name is an action name: itself, or the actions below it (`project.access` → project.access.*).
      narrowed = narrowed.where((eb) => eb.or([eb('action', '=', term), like(eb, `${escaped}.%`)]));
    } else {
      // A word: the start of the action or of any of its words.
      narrowed = narrowed.where((eb) => eb.or([like(eb, `${escaped}%`), like(eb, `%.${escaped}%`), like(eb, `%\\_${escaped}%`)]));
    }
  }
  return narrowed;
}

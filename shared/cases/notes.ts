import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { everyPage, keys, notExpired, TableAccess, withoutKeys } from '../data/table.js';
import type { Assignee } from './model.js';
import type { Note } from './note-schema.js';

export { type Note, noteInputSchema } from './note-schema.js';

/**
 * A team's journal of a case (CONTRACT.md v1.1): dated notes, seen by the team that wrote them, the
 * front desk and administrators, never by the referrer. Each note is an item of the case's collection.
 */
const NOTE = 'NOTE#';
export const noteKey = (caseId: string, at: string, noteId: string) => ({
  pk: keys.case(caseId).pk,
  sk: `${NOTE}${at}#${noteId}`,
});

export class NoteRepository extends TableAccess {
  async addNote(caseId: string, team: string, text: string, author: Assignee, at: string): Promise<Note> {
    const note: Note = { noteId: randomUUID(), team, at, author, text };
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...noteKey(caseId, at, note.noteId), caseId, ...note },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return note;
  }

  /** A case's notes, oldest first, with the keys the retention needs (at most 1,000: a journal, not a log). */
  async listNotes(caseId: string): Promise<(Note & { key: { pk: string; sk: string } })[]> {
    const items = await everyPage(
      (start) =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :note)',
            ExpressionAttributeValues: { ':pk': keys.case(caseId).pk, ':note': NOTE },
            ExclusiveStartKey: start,
          }),
        ),
      { keep: notExpired, max: 1000 },
    );
    return items.map((item) => {
      const {
        caseId: _caseId,
        expiresAt: _ttl,
        ...note
      } = withoutKeys<Note & { caseId: string; expiresAt?: number }>(item);
      return { ...note, key: { pk: String(item.pk), sk: String(item.sk) } };
    });
  }
}

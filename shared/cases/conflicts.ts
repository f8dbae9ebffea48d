/** Raised by a save when the case changed since it was read: read it again and redo. */
export class VersionConflictError extends Error {
  constructor(caseId: string) {
    super(`Case ${caseId} changed since it was read`);
    this.name = 'VersionConflictError';
  }
}

/** The idempotency key of a save was used before: the caller reads the first answer. */
export class IdempotencyReplay extends Error {
  constructor() {
    super('The idempotency key was used before');
    this.name = 'IdempotencyReplay';
  }
}

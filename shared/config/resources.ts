/**
 * The table and queue definitions that both the CDK stack and the local runtime build from,
 * so that what runs on a laptop is shaped like what runs in AWS.
 */
/** A secondary index: its keys (the sort key is optional) and what it projects. */
type IndexDefinition = {
  partitionKey: string;
  sortKey?: string;
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
};

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Ttl attribute (epoch seconds): idempotency records expire after a day. */
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /** A referring agency's referrals, newest first; the list shows them without reading each item. */
    byAgency: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    /**
     * A team's work list: one item per (case, team), open work by priority then age, closed work
     * newest first, in partitions `TEAM#<team>#OPEN` and `TEAM#<team>#CLOSED`. Sparse: a team that
     * declined a case has no item in it.
     */
    byTeam: { partitionKey: 'listPk', sortKey: 'listSk', projection: 'ALL' },
    /** Sparse: only cases waiting for screening or for a delivery to a team queue; the re-drive needs ids only. */
    pending: { partitionKey: 'pendingPk', sortKey: 'pendingSince', projection: 'KEYS_ONLY' },
    /** A case by its reference (FD-2026-00042): written once when the case opens. */
    byReference: { partitionKey: 'referenceKey', projection: 'KEYS_ONLY' },
    /** A person's cases, newest first, by the HMAC of the identity number (search by number). */
    byPerson: { partitionKey: 'personKey', sortKey: 'createdAt', projection: 'KEYS_ONLY' },
  },
} as const satisfies { indexes: Record<string, IndexDefinition> } & Record<string, unknown>;

/** Every function's timeout unless it says otherwise (API Gateway itself gives up after 29 s). */
export const FUNCTION_TIMEOUT_SECONDS = 10;

export const QUEUE = {
  /** The screening consumer's timeout; the visibility timeout is six times it (AWS Lambda + SQS guidance). */
  consumerTimeoutSeconds: 30,
  visibilityTimeoutSeconds: 180,
  /** Receives before a message goes to the dead-letter queue. */
  maxReceiveCount: 5,
  retentionDays: 14,
  batchSize: 10,
} as const;

/** How often the scheduled re-drive looks for cases stuck before ROUTED, and how old they must be. */
export const REDRIVE = { everyMinutes: 5, olderThanSeconds: 120 } as const;

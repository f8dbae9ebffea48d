import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { CaseRoutedMessage, CaseWithdrawnMessage } from '../shared/cases/model.js';
import { teamMessageSchema } from '../shared/cases/schemas.js';

/**
 * The reference consumer of a team's queue: what a team's own system does with Front Desk's
 * claim-check messages. It de-duplicates on `messageId` (delivery is at least once), fetches a
 * routed case through the API with the team's token, forgets a case it is told it lost to the
 * client's consent (`case.withdrawn`), and deletes a message only after it was handled, so a
 * message it cannot handle comes back and, after the queue's receive limit, ends in the DLQ.
 */
export type ConsumerOptions = {
  team: string;
  apiUrl: string;
  token: () => Promise<string>;
  sqs: SQSClient;
  queueUrl: string;
  /** Long-poll wait; 20 s is SQS's maximum and the cheapest. */
  waitTimeSeconds: number;
  /** How long a received message stays hidden while it is handled; the queue's own setting if absent. */
  visibilityTimeoutSeconds?: number;
  /** Message ids already handled: a repeat is deleted without fetching the case again. */
  seen: Set<string>;
  /** What the team's system holds of each case it was routed; removed when the case is withdrawn. */
  held?: Map<string, { status: string; referrals: number }>;
  print: (line: string) => void;
};

export type PollResult = { handled: number; duplicates: number; failed: number };

type CaseSummary = {
  status: string;
  referrals: { agency?: string }[];
};

const CONSENT_WITHDRAWN = 'urn:frontdesk:problem:consent-withdrawn';

/** The client's consent no longer covers the team: it deletes what it holds of the case. */
function forget(options: ConsumerOptions, withdrawn: CaseWithdrawnMessage): 'handled' {
  options.held?.delete(withdrawn.caseId);
  options.print(`withdrawn ${withdrawn.caseId}  reason=${withdrawn.reason}  (what we held of it is deleted)`);
  return 'handled';
}

async function fetchCase(options: ConsumerOptions, routed: CaseRoutedMessage) {
  const response = await fetch(
    `${options.apiUrl.replace(/\/$/, '')}/cases/${encodeURIComponent(routed.caseId)}`,
    {
      headers: { Authorization: `Bearer ${await options.token()}`, Accept: 'application/json' },
    },
  );
  if (response.ok) return { found: (await response.json()) as CaseSummary };
  const problem = (await response.json().catch(() => ({}))) as { type?: string };
  return { status: response.status, withdrawn: problem.type === CONSENT_WITHDRAWN };
}

async function handle(
  options: ConsumerOptions,
  message: Message,
): Promise<'handled' | 'duplicate' | 'failed'> {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    body = undefined;
  }
  const parsed = teamMessageSchema.safeParse(body);
  // An escalation names the late team and comes to the front desk's queue.
  const addressee =
    parsed.success && parsed.data.type === 'case.escalated' ? 'front-desk' : parsed.data?.team;
  if (!parsed.success || addressee !== options.team) {
    options.print(
      `poison   message ${message.MessageId}: not a Front Desk message for ${options.team}; left for the dead-letter queue`,
    );
    return 'failed';
  }
  const routed = parsed.data;
  if (options.seen.has(routed.messageId)) {
    options.print(`repeat   ${routed.caseId} (message ${routed.messageId} was handled already)`);
    return 'duplicate';
  }
  if (routed.type === 'case.withdrawn') {
    options.seen.add(routed.messageId);
    return forget(options, routed);
  }
  if (routed.type === 'case.escalated') {
    options.seen.add(routed.messageId);
    options.print(
      `overdue  ${routed.reference}  team=${routed.team}  due ${routed.dueAt}  (not accepted in time)`,
    );
    return 'handled';
  }
  const answer = await fetchCase(options, routed);
  if (!answer.found) {
    if (answer.withdrawn) {
      // Routed, then withdrawn before we read it: the case.withdrawn message follows; nothing to keep.
      options.print(`gone     ${routed.caseId}: the client's consent no longer covers ${options.team}`);
      options.seen.add(routed.messageId);
      return 'handled';
    }
    options.print(`failed   ${routed.caseId}: GET /cases answered ${answer.status}; it will come back`);
    return 'failed';
  }
  const { found } = answer;
  const agencies = [...new Set(found.referrals.map((referral) => referral.agency ?? '-'))].join(',');
  options.print(
    [
      `case     ${routed.caseId}`,
      `routed ${routed.routedAt}`,
      `priority=${routed.priority}`,
      `groups=${routed.targetGroups.join(',') || '-'}`,
      `joint=${routed.jointAssessment ? 'yes' : 'no'}`,
      `status=${found.status}`,
      `referrals=${found.referrals.length} (${agencies})`,
    ].join('  '),
  );
  options.held?.set(routed.caseId, { status: found.status, referrals: found.referrals.length });
  options.seen.add(routed.messageId);
  return 'handled';
}

/** One long poll: handles up to ten messages and deletes the ones handled or repeated. */
export async function pollOnce(options: ConsumerOptions): Promise<PollResult> {
  const { Messages = [] } = await options.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: options.queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: options.waitTimeSeconds,
      ...(options.visibilityTimeoutSeconds !== undefined
        ? { VisibilityTimeout: options.visibilityTimeoutSeconds }
        : {}),
    }),
  );
  const result: PollResult = { handled: 0, duplicates: 0, failed: 0 };
  for (const message of Messages) {
    let outcome: Awaited<ReturnType<typeof handle>>;
    try {
      outcome = await handle(options, message);
    } catch (error) {
      options.print(`failed   message ${message.MessageId}: ${(error as Error).message}; it will come back`);
      outcome = 'failed';
    }
    if (outcome === 'failed') {
      result.failed += 1;
      continue;
    }
    await options.sqs.send(
      new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }),
    );
    if (outcome === 'handled') result.handled += 1;
    else result.duplicates += 1;
  }
  return result;
}

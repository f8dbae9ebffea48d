import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TeamMessage } from '../cases/model.js';
import { FRONT_DESK } from '../config/deployment.js';

/** The internal hand-over from intake to screening: a case id, nothing else. */
export type ScreeningRequest = { type: 'case.screening-requested'; caseId: string };

export function screeningRequester(sqs: SQSClient, queueUrl: string) {
  return async (caseId: string) => {
    const body: ScreeningRequest = { type: 'case.screening-requested', caseId };
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }));
  };
}

/** Sends a claim-check message (routed, or withdrawn) to a team's queue; teams fetch the case itself through the API. */
export function teamDelivery(sqs: SQSClient, queueUrls: Record<string, string>) {
  return async (message: TeamMessage) => {
    // An escalation is about a team, for the front desk: it goes on the front desk's queue.
    const queueUrl = queueUrls[message.type === 'case.escalated' ? FRONT_DESK : message.team];
    if (!queueUrl) throw new Error(`No queue is configured for team ${message.team}`);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { invoke, type LambdaHandler, lambdaContext } from './lambda.js';

export type EventSourceMappingOptions = {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  functionName: string;
  handler: LambdaHandler;
  batchSize: number;
  timeoutSeconds: number;
  /** Batches in flight at once, as Lambda runs several pollers and invocations. Default 5. */
  concurrency?: number;
  /** Long-poll wait; short, so that stop() returns quickly. */
  waitTimeSeconds?: number;
  /** Lines about reported failures (the messages come back); none when absent. */
  log?: (line: string) => void;
  logError: (line: string, error?: unknown) => void;
};

function attributesOf(message: Message): SQSRecordAttributes {
  const attributes = message.Attributes ?? {};
  return {
    ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
    SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
    SenderId: attributes.SenderId ?? '000000000000',
    ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    ...attributes,
  };
}

/** SQS's `MessageAttributes` in the shape Lambda hands them over (camelCase, binary as base64). */
function messageAttributesOf(message: Message): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    result[name] = {
      dataType: value.DataType ?? 'String',
      stringValue: value.StringValue,
      binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((binary) =>
        Buffer.from(binary).toString('base64'),
      ),
    };
  }
  return result;
}

function recordOf(message: Message, options: EventSourceMappingOptions): SQSRecord {
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: attributesOf(message),
    messageAttributes: messageAttributesOf(message),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: options.region,
  };
}

/**
 * Which messages failed, the way Lambda reads a partial batch response (ReportBatchItemFailures):
 * a thrown error, or an identifier that is missing or not in the batch, fails the whole batch.
 */
function failedIds(result: unknown, records: SQSRecord[]): Set<string> {
  const all = new Set(records.map((record) => record.messageId));
  const failures = (result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

/**
 * A local Lambda event source mapping for one SQS queue: long-polls, invokes the handler with an
 * SQSEvent, deletes what succeeded and leaves the failures to come back after the visibility
 * timeout, so the queue's RedrivePolicy moves a poison message to the dead-letter queue.
 */
export function startEventSourceMapping(options: EventSourceMappingOptions) {
  const controller = new AbortController();
  let stopped = false;
  // While the queue cannot be read (the SQS engine restarting), one line for all pollers, not one a second each.
  let receiveFailing = false;

  async function processBatch(messages: Message[]) {
    const records = messages.map((message) => recordOf(message, options));
    const event: SQSEvent = { Records: records };
    const context = lambdaContext({
      functionName: options.functionName,
      region: options.region,
      timeoutSeconds: options.timeoutSeconds,
    });
    let failed: Set<string>;
    try {
      failed = failedIds(await invoke(options.handler, event, context), records);
    } catch (error) {
      options.logError(
        `${options.functionName} failed a batch of ${records.length}; it will be retried`,
        error,
      );
      failed = new Set(records.map((record) => record.messageId));
    }
    if (failed.size > 0 && failed.size < records.length) {
      options.logError(
        `${options.functionName}: ${failed.size} of ${records.length} messages failed; they will be retried`,
      );
    }
    const done = records.filter((record) => !failed.has(record.messageId));
    if (done.length === 0) return;
    const result = await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
    if (result.Failed?.length) {
      options.logError(
        `${options.functionName}: ${result.Failed.length} processed messages could not be deleted`,
      );
    }
  }

  async function poll() {
    while (!stopped) {
      let messages: Message[];
      try {
        const received = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: options.waitTimeSeconds ?? 1,
            AttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: controller.signal },
        );
        messages = received.Messages ?? [];
        if (receiveFailing) {
          receiveFailing = false;
          options.log?.(`${options.functionName}: receiving from the queue again`);
        }
      } catch (error) {
        if (stopped) return;
        if (!receiveFailing) {
          receiveFailing = true;
          options.logError(
            `${options.functionName}: could not receive from the queue; retrying every second`,
            error,
          );
        }
        await sleep(1000).catch(() => undefined);
        continue;
      }
      if (messages.length === 0) continue;
      try {
        await processBatch(messages);
      } catch (error) {
        options.logError(`${options.functionName}: could not finish a batch`, error);
      }
    }
  }

  // Lambda's SQS event source starts with five concurrent pollers and scales from there.
  const running = Promise.all(Array.from({ length: options.concurrency ?? 5 }, () => poll()));
  return {
    /** Stops receiving; a batch being processed finishes first, as a Lambda invocation would. */
    async stop() {
      stopped = true;
      controller.abort();
      await running;
    },
  };
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * AWS clients, created once per container at module scope. Locally the SDK reads
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS itself. Queue URLs are not used as endpoints:
 * fauxqs gives `*.localhost` hosts that do not resolve everywhere, and in AWS the region's endpoint is the same.
 */
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/**
 * Marked pure so that a bundle whose function never sends (the read functions) leaves the SQS client
 * out: esbuild keeps a module-level `new` otherwise, with 26 KiB of client that every cold start
 * would parse and construct for nothing.
 */
export const sqs = /* @__PURE__ */ new SQSClient({ useQueueUrlAsEndpoint: false });

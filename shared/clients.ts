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

export const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });

import type { TestProject } from 'vitest/node';
import { assertJavaInstalled, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { freePort } from '../../local/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One DynamoDB Local (the official engine) for the whole run; every test file makes its own table. */
export default async function setup(project: TestProject) {
  assertJavaInstalled();
  const dynamo = await startDynamoDbLocal({ port: await freePort(), region: 'eu-north-1' });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}

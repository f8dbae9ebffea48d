import { type CfnElement, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE } from '../../shared/config/resources.js';

export interface CaseTableProps {
  readonly encryptionKey: kms.IKey;
}

const stringKey = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * The single table that holds cases, referrals, people and idempotency records (keys in shared/config).
 * Stateful: it keeps a fixed logical id and is retained, so refactoring the construct tree never replaces it.
 */
export class CaseTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: CaseTableProps) {
    super(scope, id);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: stringKey(TABLE.partitionKey),
      sortKey: stringKey(TABLE.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.table.node.defaultChild as CfnElement).overrideLogicalId('CaseTable');
    Validations.of(this.table).acknowledge({
      id: 'HIPAA.Security-DynamoDBInBackupPlan',
      reason:
        'PITR covers 35 days: point-in-time recovery restores to any second of the last 35 days, the table has deletion protection and is retained, and deleting it would still leave a 35-day system backup. An AWS Backup plan would keep further copies of personal data that the retention period has erased, each needing its own erasure.',
    });

    // The indexes come from the definition the local runtime builds its table from.
    for (const [indexName, index] of Object.entries(TABLE.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: stringKey(index.partitionKey),
        ...('sortKey' in index ? { sortKey: stringKey(index.sortKey) } : {}),
        projectionType: dynamodb.ProjectionType[index.projection],
      });
    }
  }
}

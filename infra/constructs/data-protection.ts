import { ArnFormat, type CfnElement, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The customer-managed key that encrypts the case table, the queues, the log groups and the person key,
 * and the person key itself: the HMAC key that turns an identity number into the key people are
 * de-duplicated on.
 */
export class DataProtection extends Construct {
  readonly key: kms.Key;
  readonly personKeySecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: 'Front Desk: encrypts cases, queues, logs and the person key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.key.node.defaultChild as CfnElement).overrideLogicalId('DataKey');

    // CloudWatch Logs encrypts a log group with the key only when the key policy lets the regional Logs
    // service use it, and only for log groups of this account and region (the encryption context names
    // the log group): https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    const stack = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    this.personKeySecret = new secretsmanager.Secret(this, 'PersonKey', {
      description: 'Front Desk: HMAC key (64 hex characters) for person de-duplication',
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // 64 characters from 0-9a-f: 256 bits, the format PERSON_KEY has locally.
      generateSecretString: {
        passwordLength: 64,
        excludePunctuation: true,
        excludeUppercase: true,
        includeSpace: false,
        excludeCharacters: 'ghijklmnopqrstuvwxyz',
        requireEachIncludedType: false,
      },
    });
    (this.personKeySecret.node.defaultChild as CfnElement).overrideLogicalId('PersonKeySecret');
    Validations.of(this.personKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The person key is the HMAC key that stored person keys derive from: rotating it would split every person into two and break de-duplication. Rotation needs a re-keying migration, not a schedule.',
    });
    Validations.of(this.personKeySecret).acknowledge({
      id: 'HIPAA.Security-SecretsManagerRotationEnabled',
      reason:
        'The person key is the HMAC key that stored person keys derive from: rotating it on a schedule would split every person into two and break de-duplication. Rotation is a re-keying migration; the secret is encrypted with the customer-managed key and only submit-referral may read it.',
    });
  }
}

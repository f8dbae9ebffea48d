import { type CfnElement, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The customer-managed key that encrypts the case table, the queues and the person key, and the person
 * key itself: the HMAC key that turns an identity number into the key people are de-duplicated on.
 */
export class DataProtection extends Construct {
  readonly key: kms.Key;
  readonly personKeySecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: 'Front Desk: encrypts cases, queues and the person key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.key.node.defaultChild as CfnElement).overrideLogicalId('DataKey');

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
  }
}

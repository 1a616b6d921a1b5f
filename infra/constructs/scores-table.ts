import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, type ITableV2, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_KEY } from '../../src/contract/data-sources';

export interface ScoresTableProps {
  readonly tableName: string;
  /** Point-in-time recovery (35 days of restores to any second). */
  readonly pointInTimeRecovery: boolean;
  readonly deletionProtection: boolean;
  /** Encrypt with a customer-managed KMS key (rotated yearly) instead of the AWS-owned key. */
  readonly customerManagedKey: boolean;
  /**
   * Regions holding a replica (a global table). With a customer-managed key, each replica
   * region needs its own key ARN in `replicaKeyArns`.
   * @default no replica
   */
  readonly replicaRegions?: string[];
  /** @default none */
  readonly replicaKeyArns?: Record<string, string>;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The scores table of design.md: `driverId` (S) partition key, `period` (S) sort key, on-demand
 * billing (monthly load spikes, steady small reads), encrypted at rest.
 */
export class ScoresTable extends Construct {
  public readonly table: TableV2;
  public readonly key?: Key;

  constructor(scope: Construct, id: string, props: ScoresTableProps) {
    super(scope, id);
    if (props.customerManagedKey) {
      this.key = new Key(this, 'Key', {
        description: `encrypts the ${props.tableName} table`,
        enableKeyRotation: true,
        removalPolicy: props.removalPolicy,
      });
    }
    const replicaRegions = props.replicaRegions ?? [];
    const missingKeys = replicaRegions.filter((region) => this.key && !props.replicaKeyArns?.[region]);
    if (missingKeys.length > 0) {
      throw new Error(
        `the ${props.tableName} table uses a customer-managed key, so each replica needs a KMS key ARN in its region: ` +
          `missing for ${missingKeys.join(', ')} (pass -c replicaKeyArn=arn:aws:kms:…)`,
      );
    }
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: TABLE_KEY.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEY.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery },
      deletionProtection: props.deletionProtection,
      encryption: this.key
        ? TableEncryptionV2.customerManagedKey(this.key, props.replicaKeyArns)
        : TableEncryptionV2.dynamoOwnedKey(),
      replicas: replicaRegions.map((region) => ({ region })),
      removalPolicy: props.removalPolicy,
    });
  }

  /** The table as seen from another stack in a replica region (same name, same key schema). */
  static replicaIn(scope: Construct, id: string, tableName: string): ITableV2 {
    return TableV2.fromTableName(scope, id, tableName);
  }
}

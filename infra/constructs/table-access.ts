import { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';

export interface TableReadAccess {
  /** Exactly the DynamoDB actions the caller runs, e.g. `dynamodb:Query`: nothing is added to them. */
  readonly actions: readonly string[];
  /**
   * The KMS key the table (or, in the DR region, its replica) is encrypted with, when it is a
   * customer-managed key.
   * @default none (an AWS-owned key needs no permission)
   */
  readonly encryptionKeyArn?: string;
}

/**
 * Lets `grantee` run `actions` on the table itself (not its indexes: no caller reads one, and
 * BatchGetItem names the table) and, with a customer-managed key, decrypt through DynamoDB only.
 *
 * Used instead of `table.grantReadData`, which also grants Scan, ConditionCheckItem,
 * DescribeTable and the stream's GetRecords/GetShardIterator whatever the caller needs.
 * A principal reading a table under a customer-managed key needs the key too: DynamoDB decrypts
 * the table key on the caller's behalf (the AWS managed key's policy grants the same to "all
 * principals in the account that are authorized to use Amazon DynamoDB"). kms:Decrypt and
 * kms:DescribeKey are what CDK's own read grant gives; `kms:ViaService` keeps them to DynamoDB
 * calls in this region, so the role cannot use the key directly.
 */
export function grantTableRead(grantee: IGrantable, table: ITableV2, access: TableReadAccess): void {
  if (access.actions.length === 0) throw new Error('grantTableRead: no actions');
  const principal = grantee.grantPrincipal;
  principal.addToPrincipalPolicy(new PolicyStatement({ actions: [...access.actions], resources: [table.tableArn] }));
  if (access.encryptionKeyArn) {
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:DescribeKey'],
        resources: [access.encryptionKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(table).region}.amazonaws.com` } },
      }),
    );
  }
}

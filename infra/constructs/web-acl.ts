import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiWebAclProps {
  readonly name: string;
  /**
   * Requests per source IP in any 5-minute window before that IP is blocked; both APIs count
   * towards it. stages.ts sets four times the SLA peak (WAF_RATE_LIMIT_PER_5_MINUTES).
   */
  readonly rateLimitPer5Minutes: number;
  /** ARNs of what the ACL protects: the REST stage and the AppSync API. */
  readonly protectedArns: Record<string, string>;
}

const visibility = (metricName: string) => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

function managedRuleGroup(name: string, priority: number): CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: visibility(name),
  };
}

/**
 * A regional WAF web ACL in front of both APIs: AWS's common and known-bad-inputs managed rule
 * groups, and a per-IP rate rule well above any honest caller: the SLA peak is 500 requests a
 * minute in all, which one client system behind one address may send alone.
 */
export class ApiWebAcl extends Construct {
  public readonly acl: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiWebAclProps) {
    super(scope, id);
    this.acl = new CfnWebACL(this, 'Acl', {
      name: props.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rules: [
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 0),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 1),
        {
          name: 'RateLimitPerIp',
          priority: 2,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimitPer5Minutes,
              aggregateKeyType: 'IP',
              // The window the limit is stated for (also WAF's default), explicit in the template.
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
      ],
    });
    for (const [name, resourceArn] of Object.entries(props.protectedArns)) {
      new CfnWebACLAssociation(this, `${name}Association`, { resourceArn, webAclArn: this.acl.attrArn });
    }
  }
}

import { Duration, Stack } from 'aws-cdk-lib';
import { BasePathMapping, DomainName, EndpointType, type RestApi, SecurityPolicy } from 'aws-cdk-lib/aws-apigateway';
import { Certificate, CertificateValidation } from 'aws-cdk-lib/aws-certificatemanager';
import {
  ARecord,
  Failover,
  HealthCheck,
  HealthCheckType,
  HostedZone,
  type IAliasRecordTarget,
  RecordTarget,
} from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import type { CustomDomainSettings } from '../stages';

export interface RegionalFailoverProps {
  readonly domain: CustomDomainSettings;
  readonly api: RestApi;
  /** The API's stage, part of the health check's path. */
  readonly stageName: string;
  /** PRIMARY answers while healthy; SECONDARY (the DR region) takes over when it is not. */
  readonly role: 'PRIMARY' | 'SECONDARY';
}

/**
 * This region's half of the REST facade's DNS failover: the custom domain served by this
 * region's API (certificate validated in the hosted zone), a Route 53 health check on this
 * region's `/health` (which reads this region's table), and a failover alias record. Both
 * regions hold the same name; Route 53 answers with the secondary when the primary's check
 * fails. Each region's record lives in its own stack: no cross-region references.
 */
export class RegionalFailover extends Construct {
  public readonly healthCheck: HealthCheck;
  public readonly record: ARecord;

  constructor(scope: Construct, id: string, props: RegionalFailoverProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.domain.hostedZoneId,
      zoneName: props.domain.hostedZoneName,
    });
    const certificate = new Certificate(this, 'Certificate', {
      domainName: props.domain.domainName,
      validation: CertificateValidation.fromDns(zone),
    });
    const domain = new DomainName(this, 'Domain', {
      domainName: props.domain.domainName,
      certificate,
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new BasePathMapping(this, 'Mapping', { domainName: domain, restApi: props.api, stage: props.api.deploymentStage });

    this.healthCheck = new HealthCheck(this, 'Health', {
      type: HealthCheckType.HTTPS,
      fqdn: `${props.api.restApiId}.execute-api.${region}.amazonaws.com`,
      resourcePath: `/${props.stageName}/health`,
      port: 443,
      enableSNI: true,
      requestInterval: Duration.seconds(30),
      failureThreshold: 3,
    });
    this.record = new ARecord(this, 'Record', {
      zone,
      recordName: props.domain.domainName,
      target: RecordTarget.fromAlias(healthEvaluatedAlias(domain)),
      failover: props.role === 'PRIMARY' ? Failover.PRIMARY : Failover.SECONDARY,
      setIdentifier: `${props.role.toLowerCase()}-${region}`,
      healthCheck: this.healthCheck,
    });
  }
}

/**
 * An alias to the API's regional domain that also follows the target's own health (Route 53
 * requires it on failover aliases); aws-route53-targets' ApiGatewayDomain cannot set that.
 */
function healthEvaluatedAlias(domain: DomainName): IAliasRecordTarget {
  return {
    bind: () => ({
      dnsName: domain.domainNameAliasDomainName,
      hostedZoneId: domain.domainNameAliasHostedZoneId,
      evaluateTargetHealth: true,
    }),
  };
}

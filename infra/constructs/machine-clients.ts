import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  FeaturePlan,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  type UserPoolClient,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { OAUTH_RESOURCE_SERVER, READ_SCOPE } from '../../src/contract/auth-modes';

export interface MachineClientsProps {
  /** `scoredrive-<stage>`: the user pool's name and its hosted domain prefix (must be unique in the region). */
  readonly name: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * OAuth 2.0 client credentials for the client's systems (quoting, renewals, call centre): a
 * Cognito user pool with no users, a resource server with a read scope, and one app client.
 * Systems trade its id and secret at the pool's token endpoint for an access token, which
 * AppSync (OIDC) and the REST facade (Cognito authorizer, scope checked) accept.
 */
export class MachineClients extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  /** `scoredrive/scores.read`, the scope a token needs. */
  public readonly readScope: string;

  constructor(scope: Construct, id: string, props: MachineClientsProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Pool', {
      userPoolName: props.name,
      selfSignUpEnabled: false,
      // No users sign in: threat protection (the Plus plan) would have nothing to watch.
      featurePlan: FeaturePlan.ESSENTIALS,
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      removalPolicy: props.removalPolicy,
    });
    const [readScope] = OAUTH_RESOURCE_SERVER.scopes;
    const read = new ResourceServerScope({ scopeName: readScope.name, scopeDescription: readScope.description });
    const server = new UserPoolResourceServer(this, 'ScoreDrive', {
      userPool: this.userPool,
      identifier: OAUTH_RESOURCE_SERVER.identifier,
      scopes: [read],
    });
    this.readScope = READ_SCOPE;
    this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.name } });
    this.client = this.userPool.addClient('Systems', {
      userPoolClientName: `${props.name}-systems`,
      generateSecret: true,
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [OAuthScope.resourceServer(server, read)],
      },
    });
  }

  /** The issuer AppSync's OIDC mode trusts. */
  get issuer(): string {
    return this.userPool.userPoolProviderUrl;
  }
}

/**
 * The REST facade's OpenAPI 3 description: generated from src/contract/rest/routes.ts, valid by
 * swagger-parser (OpenAPI schema and references), served at /openapi.json offline, with the
 * validation patterns the templates and resolvers use, and importable by API Gateway with
 * its integration extensions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVER_ID_PATTERN, PERIOD_PATTERN } from '../../resolvers/lib/validation';
import { restOpenApi } from '../../src/contract/rest/openapi';
import { REST_ROUTES, TEMPLATES_DIR } from '../../src/contract/rest/routes';
import type { Service } from '../../src/server/service';
import { startTestService } from '../helpers/service';

let service: Service;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ service, stop } = await startTestService());
});
afterAll(async () => stop?.());

const AWS = { region: 'eu-south-1', credentialsRoleArn: 'arn:aws:iam::111122223333:role/scoredrive-rest-dynamodb' };

describe('the OpenAPI description', () => {
  it('is served at /openapi.json without a key, and is valid OpenAPI 3', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: '/openapi.json',
      headers: { host: 'localhost:4000' },
    });
    expect(response.statusCode).toBe(200);
    const document = response.json() as OpenAPIV3.Document;
    expect(document.servers).toEqual([{ url: 'http://localhost:4000' }]);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('describes every route of the shared definition, and only those', () => {
    const document = restOpenApi();
    expect(Object.keys(document.paths).sort()).toEqual(REST_ROUTES.map((r) => r.path).sort());
    const score = document.paths['/drivers/{driverId}/score']?.get as OpenAPIV3.OperationObject;
    expect(score.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(score.responses).sort()).toEqual(['200', '400', '403', '404', '429', '500', '503']);
    expect(document.components?.securitySchemes?.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' });
  });

  it('validates parameters with the patterns the resolvers and the request template use', () => {
    const score = restOpenApi().paths['/drivers/{driverId}/score']?.get as OpenAPIV3.OperationObject;
    const patterns = Object.fromEntries(
      (score.parameters as OpenAPIV3.ParameterObject[]).map((p) => [
        p.name,
        (p.schema as OpenAPIV3.SchemaObject).pattern,
      ]),
    );
    expect(patterns).toEqual({ driverId: DRIVER_ID_PATTERN, period: PERIOD_PATTERN });
    const template = readFileSync(path.join(TEMPLATES_DIR, 'score-request.vtl'), 'utf8');
    expect(template).toContain(`matches('${DRIVER_ID_PATTERN}')`);
    expect(template).toContain(`matches('${PERIOD_PATTERN}')`);
  });

  it('carries API Gateway integrations with the very templates when given a region and role', async () => {
    const document = restOpenApi({ aws: AWS });
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    const score = document.paths['/drivers/{driverId}/score']?.get as unknown as Record<string, any>;
    const integration = score['x-amazon-apigateway-integration'];
    expect(integration).toMatchObject({
      type: 'aws',
      httpMethod: 'POST',
      uri: 'arn:aws:apigateway:eu-south-1:dynamodb:action/Query',
      credentials: AWS.credentialsRoleArn,
      passthroughBehavior: 'never',
    });
    expect(integration.requestTemplates['application/json']).toBe(
      readFileSync(path.join(TEMPLATES_DIR, 'score-request.vtl'), 'utf8'),
    );
    expect(Object.keys(integration.responses)).toEqual(['default', '4\\d{2}', '5\\d{2}']);
  });
});

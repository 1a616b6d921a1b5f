/**
 * The EvaluateCode example of https://docs.aws.amazon.com/appsync/latest/devguide/test-debug-resolvers-js.html:
 * its code.js and context.json, verbatim, and the answer it prints for the response handler.
 */
export const GUIDE_CODE = `import { util } from '@aws-appsync/utils';

export function request(ctx) {
  return {
    operation: 'PutItem',
    key: util.dynamodb.toMapValues({ id: util.autoId() }),
    attributeValues: util.dynamodb.toMapValues(ctx.args),
  };
}

export function response(ctx) {
  if (ctx.identity.username === 'Nadia') {
    console.log("This request is allowed")
    return ctx.result;
  }
  util.unauthorized();
}
`;
export const GUIDE_CONTEXT_JSON = `{
    "arguments" : {
        "firstname": "Shaggy",
        "age": 4
    },
    "source" : {},
    "result" : {
        "breed" : "Miniature Schnauzer",
        "color" : "black_grey"
    },
    "identity": {
        "sub" : "uuid",
        "issuer" : " https://cognito-idp.{region}.amazonaws.com/{userPoolId}",
        "username" : "Nadia",
        "claims" : { },
        "sourceIp" :[  "x.x.x.x" ],
        "defaultAuthStrategy" : "ALLOW"
    }
}
`;

export const GUIDE_CONTEXT = JSON.parse(GUIDE_CONTEXT_JSON) as Record<string, unknown>;

/** What the page prints for `--function response`. */
export const GUIDE_RESPONSE_ANSWER = {
  evaluationResult: '{"breed":"Miniature Schnauzer","color":"black_grey"}',
  logs: ['INFO - code.js:13:5: "This request is allowed"'],
};

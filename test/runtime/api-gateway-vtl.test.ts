/**
 * API Gateway mapping templates offline, against AWS's own examples. Sources:
 * - [REF] https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 * - [EX]  https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-variable-examples.html
 * - [OVR] https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
 */
import { describe, expect, it } from 'vitest';
import { escapeJavaScript, type MethodRequest, renderMappingTemplate } from '../../src/runtime/vtl/api-gateway';

function methodRequest(overrides: Partial<MethodRequest> = {}): MethodRequest {
  return {
    httpMethod: 'GET',
    resourcePath: '/',
    path: '/',
    pathParameters: {},
    queryParameters: {},
    headers: {},
    body: '',
    sourceIp: '192.0.2.1',
    requestId: 'abcdefg-000-000-0000-abcdefg',
    receivedAt: new Date(Date.UTC(2019, 2, 20, 20, 38, 30, 135)),
    ...overrides,
  };
}

function render(template: string, request: Partial<MethodRequest> = {}, payload?: string) {
  const req = methodRequest(request);
  return renderMappingTemplate(template, {
    request: req,
    stage: 'prod',
    stageVariables: { scoresTable: 'scoredrive-prod-scores' },
    payload: payload ?? req.body,
  });
}

describe('$input', () => {
  it('[EX] example 3: params(name) from the query string, json($) as compact JSON', () => {
    const { output } = render('{\n    "name" : "$input.params(\'name\')",\n    "body" : $input.json(\'$\')\n}', {
      queryParameters: { name: 'Bella', type: 'dog' },
      body: '{ "Price" : "249.99", "Age": "6" }',
    });
    expect(output).toBe('{\n    "name" : "Bella",\n    "body" : {"Price":"249.99","Age":"6"}\n}');
  });

  it('[EX] example 4: json() of a string keeps its quotes; escapeJavaScript escapes them', () => {
    const request = { queryParameters: { name: 'Bella' }, body: '{ "Price" : "249.99", "Age": "6" }' };
    expect(render('"body" : $input.json(\'$.Age\')', request).output).toBe('"body" : "6"');
    expect(render('"body": "$util.escapeJavaScript($input.json(\'$.Age\'))"', request).output).toBe(
      '"body": "\\"6\\""',
    );
  });

  it('[EX] example 5: path() gives a map whose size() counts its keys', () => {
    const template =
      '{"id":"$input.params(\'id\')","count":"$input.path(\'$.things\').size()","things":$input.json(\'$.things\')}';
    const { output } = render(template, {
      pathParameters: { id: '123' },
      body: '{"things": {"1": {}, "2": {}, "3": {}}}',
    });
    expect(output).toBe('{"id":"123","count":"3","things":{"1":{},"2":{},"3":{}}}');
    const escaped = template.replace("$input.json('$.things')", '"$util.escapeJavaScript($input.json(\'$.things\'))"');
    expect(
      render(escaped, { pathParameters: { id: '123' }, body: '{"things": {"1": {}, "2": {}, "3": {}}}' }).output,
    ).toBe('{"id":"123","count":"3","things":"{\\"1\\":{},\\"2\\":{},\\"3\\":{}}"}');
  });

  it('[EX] example 2: params() is a map of path, querystring and header maps', () => {
    const template = `#set($allParams = $input.params())
{"params":{#foreach($type in $allParams.keySet())#set($params = $allParams.get($type))"$type":{#foreach($paramName in $params.keySet())"$paramName":"$util.escapeJavaScript($params.get($paramName))"#if($foreach.hasNext),#end#end}#if($foreach.hasNext),#end#end}}`;
    const { output } = render(template, {
      pathParameters: { myparam: 'myparam' },
      queryParameters: { querystring1: 'value1,value2' },
      headers: { header1: 'value1' },
    });
    expect(JSON.parse(output)).toEqual({
      params: {
        path: { myparam: 'myparam' },
        querystring: { querystring1: 'value1,value2' },
        header: { header1: 'value1' },
      },
    });
  });

  it('[REF] params(x) searches the path, then the query string, then the headers; "" when absent', () => {
    const request = {
      pathParameters: { a: 'from-path' },
      queryParameters: { a: 'from-query', b: 'from-query' },
      headers: { A: 'from-header', b: 'from-header', C: 'from-header' },
    };
    expect(
      render("$input.params('a') $input.params('b') $input.params('c') [$input.params('d')]", request).output,
    ).toBe('from-path from-query from-header []');
  });

  it('[REF] path() returns objects usable natively; body is the raw payload', () => {
    const payload = '{"pets":[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99}]}';
    const { output } = render(
      "#foreach($pet in $input.path('$.pets'))$pet.type=$pet.price #end| $input.body",
      {},
      payload,
    );
    expect(output).toBe(`dog=249.99 cat=124.99 | ${payload}`);
  });
});

describe('$util', () => {
  it('[REF] parseJson: a stringified JSON field becomes an object, list indexes work', () => {
    const { output } = render(
      '#set ($errorMessageObj = $util.parseJson($input.path(\'$.errorMessage\')))\n{\n   "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]\n}',
      {},
      '{"errorMessage":"{\\"key1\\":\\"var1\\",\\"key2\\":{\\"arr\\":[1,2,3]}}"}',
    );
    expect(JSON.parse(output)).toEqual({ errorMessageObjKey2ArrVal: 1 });
  });

  it('[REF] escapeJavaScript turns \' into \\\' (not valid JSON), which .replaceAll("\\\\\'","\'") undoes', () => {
    const request = { queryParameters: { q: `O'Brien "Bob" \\ a/b` } };
    expect(render("$util.escapeJavaScript($input.params('q'))", request).output).toBe(`O\\'Brien \\"Bob\\" \\\\ a\\/b`);
    const json = render(`{"q": "$util.escapeJavaScript($input.params('q')).replaceAll("\\\\'","'")"}`, request).output;
    expect(JSON.parse(json)).toEqual({ q: `O'Brien "Bob" \\ a/b` });
  });

  it('escapeJavaScript escapes control characters and non-ASCII as Commons Lang does', () => {
    expect(escapeJavaScript('a\nb\tc\u0001é€😀')).toBe('a\\nb\\tc\\u0001\\u00E9\\u20AC\\uD83D\\uDE00');
  });

  it('[REF] urlEncode/urlDecode use application/x-www-form-urlencoded; base64 round-trips UTF-8', () => {
    const { output } = render(
      "$util.urlEncode('a b&c=é') $util.urlDecode('a+b%26c') $util.base64Encode('ciao è') $util.base64Decode('Y2lhbyDDqA==')",
    );
    expect(output).toBe('a+b%26c%3D%C3%A9 a b&c Y2lhbyDDqA== ciao è');
  });
});

describe('$context and $stageVariables', () => {
  it('[REF] gives the request id, CLF request time, epoch millis, source IP, stage, resource path and path', () => {
    const { output } = render(
      '$context.requestId|$context.requestTime|$context.requestTimeEpoch|$context.identity.sourceIp|$context.stage|$context.resourcePath|$context.path|$context.httpMethod',
      { resourcePath: '/drivers/{driverId}/score', path: '/drivers/X1/score' },
    );
    expect(output).toBe(
      'abcdefg-000-000-0000-abcdefg|20/Mar/2019:20:38:30 +0000|1553114310135|192.0.2.1|prod|/drivers/{driverId}/score|/prod/drivers/X1/score|GET',
    );
  });

  it('[REF] reads stage variables', () => {
    expect(render('{"TableName": "$stageVariables.scoresTable"}').output).toBe(
      '{"TableName": "scoredrive-prod-scores"}',
    );
  });

  it('[OVR] responseOverride.status changes the status, the body stays as rendered', () => {
    const payload = '{"errors":[{"key":"GetPetRequest.petId","message":"The value is out of range."}]}';
    const template =
      '#set($inputRoot = $input.path(\'$\'))\n$input.json("$")\n#if($inputRoot.toString().contains("error"))\n#set($context.responseOverride.status = 400)\n#end';
    const rendered = render(template, {}, payload);
    expect(rendered.responseOverride.status).toBe(400);
    expect(JSON.parse(rendered.output)).toEqual(JSON.parse(payload));
    expect(render(template, {}, '{"id":1}').responseOverride.status).toBeUndefined();
  });

  it('[REF] responseOverride.header sets a response header', () => {
    const rendered = render('#set($context.responseOverride.header.Retry-After = "30")ok');
    expect(rendered.responseOverride.header).toEqual({ 'Retry-After': '30' });
  });
});

describe('Java methods on template values', () => {
  it('String.matches is a whole-string match', () => {
    const out = render(
      "#set($s = 'ABC123')$s.matches('[A-Z]+') $s.matches('[A-Z0-9]+') $s.matches('^[A-Z0-9]{1,64}$')",
    ).output;
    expect(out).toBe('false true true');
  });

  it('String.replaceAll takes Java regexes and $1 group references; length() is a method', () => {
    expect(render("#set($s = '2024-05')$s.replaceAll('(\\d+)-(\\d+)', '$2/$1') $s.length()").output).toBe('05/2024 7');
  });

  it('String.split drops trailing empty strings; trim; substring; contains; equals', () => {
    const out = render(
      "#set($s = ' a,b,, ')#set($parts = $s.trim().split(','))$parts.size() $s.trim() $s.substring(1, 2) $s.contains('b,') $s.trim().equals('a,b,,')",
    ).output;
    expect(out).toBe('2 a,b,, a true true');
  });

  it('List.isEmpty/get and Map.containsKey/keySet/get', () => {
    const out = render(
      "#set($items = $input.path('$.Items'))$items.isEmpty() $items.get(0).driverId.S $items.get(0).containsKey('period') $items.get(0).get('nope')",
      {},
      '{"Items":[{"driverId":{"S":"X1"}}]}',
    ).output;
    expect(out).toBe("false X1 false $items.get(0).get('nope')");
  });
});

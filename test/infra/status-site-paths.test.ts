import { runInNewContext } from 'node:vm';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { redirectFunctionCode, StatusSite } from '#infra/cdk/constructs/status-site.ts';
import { NOT_FOUND_KEY, STATUS_REDIRECTS } from '#shared/status-site/site-paths.ts';

interface ViewerResponse {
  statusCode?: number;
  headers?: { location?: { value: string } };
  uri?: string;
}

/** Runs the CloudFront function's code on one viewer request, as CloudFront would. */
function viewerRequest(uri: string): ViewerResponse {
  const sandbox: { handler?: (event: object) => ViewerResponse } = {};
  runInNewContext(`${redirectFunctionCode(STATUS_REDIRECTS)}\nthis.handler = handler;`, sandbox);
  if (!sandbox.handler) throw new Error('the function code defines no handler');
  return sandbox.handler({ request: { uri, method: 'GET', headers: {}, querystring: {} } });
}

describe('the status site in CloudFront answers wrong addresses with pages, not S3 errors', () => {
  it('redirects /status/, /status/en and a language page with a trailing slash to the page', () => {
    expect(viewerRequest('/status/')).toEqual({
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: '/status' } },
    });
    expect(viewerRequest('/status/en').headers?.location?.value).toBe('/status');
    expect(viewerRequest('/status/en/').headers?.location?.value).toBe('/status');
    expect(viewerRequest('/status/fi/').headers?.location?.value).toBe('/status/fi');
    expect(viewerRequest('/status/sv/').headers?.location?.value).toBe('/status/sv');
  });

  it('passes the pages themselves and every other file on to S3', () => {
    for (const uri of ['/status', '/status/fi', '/status.json', '/feed.atom', '/constructor', '/__proto__'])
      expect(viewerRequest(uri)).toMatchObject({ uri });
  });

  const site = Template.fromStack(
    (() => {
      const stack = new Stack(new App(), 'Site', { env: { account: '123456789012', region: 'eu-north-1' } });
      new StatusSite(stack, 'Status');
      return stack;
    })(),
  );

  it('runs that function on every request of the site, serves the English page at the root and its own page for a missing one', () => {
    site.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: redirectFunctionCode(STATUS_REDIRECTS),
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
    const notFound = { ResponseCode: 404, ResponsePagePath: `/${NOT_FOUND_KEY}`, ErrorCachingMinTTL: 30 };
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'status',
        DefaultCacheBehavior: Match.objectLike({
          FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
        }),
        CustomErrorResponses: [
          { ErrorCode: 403, ...notFound },
          { ErrorCode: 404, ...notFound },
        ],
      }),
    });
  });
});

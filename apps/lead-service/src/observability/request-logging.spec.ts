import { redactRequest, redactUrl } from './request-logging';

describe('request logging', () => {
  it('redacts token-like query values in logged URLs, whatever their case', () => {
    expect(
      redactUrl(
        '/dashboard?token=dev-analyst&model=linear&Access_Token=a&API_KEY=b&apikey=c&key=d&Authorization=e',
      ),
    ).toBe(
      '/dashboard?token=[redacted]&model=linear&Access_Token=[redacted]&API_KEY=[redacted]&apikey=[redacted]&key=[redacted]&Authorization=[redacted]',
    );
    expect(redactUrl('/leads?limit=5&keyboard=1')).toBe('/leads?limit=5&keyboard=1');
    expect(redactUrl('/health')).toBe('/health');
  });

  it('redacts the url and the parsed query of a serialised request', () => {
    expect(
      redactRequest({
        method: 'GET',
        url: '/funnel?token=s3cret',
        query: { token: 's3cret', from: 'x' },
      }),
    ).toEqual({
      method: 'GET',
      url: '/funnel?token=[redacted]',
      query: { token: '[redacted]', from: 'x' },
    });
  });
});

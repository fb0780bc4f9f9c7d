/**
 * The API probe behind the REST API's proxy integration: echoes the event it received, or
 * answers as `?respond=` asks (a malformed proxy result, an error, multi-value headers).
 */
interface ProxyEvent {
  readonly queryStringParameters?: Record<string, string> | null;
}

export const handler = async (event: ProxyEvent): Promise<unknown> => {
  switch (event.queryStringParameters?.respond) {
    case 'malformed':
      return 'this is not a proxy response';
    case 'throw':
      throw new Error('echo probe failure');
    case 'multi':
      return { statusCode: 201, headers: { 'x-single': 'one' }, multiValueHeaders: { 'x-multi': ['a', 'b'] }, body: 'multi' };
    default:
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event }) };
  }
};

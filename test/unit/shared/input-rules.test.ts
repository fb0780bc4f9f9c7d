import { ConfigurationError } from '../../../lambdas/shared/errors';
import { newEventId, deriveEventId } from '../../../lambdas/shared/ids';
import { DEFAULT_EVENT_TIME_BOUNDS, eventTimeBoundsFromEnv, eventTimeIssue, freeText } from '../../../lambdas/shared/input-rules';
import { assertJsonContentType, errorResponse, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../lambdas/shared/http';

const NOW = new Date('2025-01-01T12:00:00.000Z');

describe('free text', () => {
  const owner = freeText(1, 200);

  it.each([
    ['NUL', 'Ada\u0000'],
    ['a line feed', 'Ada\nLovelace'],
    ['ESC', '\u001b[31mAda'],
    ['DEL', 'Ada\u007f'],
    ['a C1 control', 'Ada\u0085'],
    ['RLO (U+202E)', 'Ada\u202Egnp.exe'],
    ['LRE (U+202A)', '\u202AAda'],
    ['PDF (U+202C)', 'Ada\u202C'],
    ['LRI (U+2066)', '\u2066Ada'],
    ['PDI (U+2069)', 'Ada\u2069'],
    ['LRM (U+200E)', 'Ada\u200E'],
    ['RLM (U+200F)', 'Ada\u200F'],
    ['ALM (U+061C)', 'Ada\u061C'],
  ])('refuses %s', (_, text) => {
    const result = owner.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toContain('control characters');
  });

  it.each([['Ada Lovelace'], ['Zoë Ångström'], ['محمد'], ['李雷'], ['O’Brien & Sons 🚀'], ['\u200D joiner is fine']])('accepts %s', (text) => {
    expect(owner.safeParse(text).success).toBe(true);
  });

  it('trims when asked, before the length check', () => {
    expect(freeText(1, 5, { trim: true }).safeParse('  Ada  ')).toEqual({ success: true, data: 'Ada' });
    expect(freeText(1, 5, { trim: true }).safeParse('   ').success).toBe(false);
  });
});

describe('event time bounds', () => {
  it.each([
    ['now', NOW.toISOString()],
    ['exactly 7 days ago', '2024-12-25T12:00:00.000Z'],
    ['exactly 5 minutes ahead', '2025-01-01T12:05:00.000Z'],
    ['with an offset', '2025-01-01T13:00:00+01:00'],
  ])('accepts a time %s', (_, time) => {
    expect(eventTimeIssue(time, NOW, DEFAULT_EVENT_TIME_BOUNDS)).toBeUndefined();
  });

  it.each([
    ['7 days and 1 ms ago', '2024-12-25T11:59:59.999Z'],
    ['5 minutes and 1 ms ahead', '2025-01-01T12:05:00.001Z'],
    ['in 9999', '9999-12-31T23:59:59Z'],
    ['before 1970', '1969-12-31T23:59:59Z'],
    ['in year 0', '0000-01-01T00:00:00Z'],
    ['unreadable', 'yesterday'],
  ])('refuses a time %s, saying the window and the value', (_, time) => {
    const issue = eventTimeIssue(time, NOW, DEFAULT_EVENT_TIME_BOUNDS);
    expect(issue).toContain('2024-12-25T12:00:00.000Z and 2025-01-01T12:05:00.000Z');
    expect(issue).toContain(time);
  });

  it('reads wider bounds from the stage environment', () => {
    expect(eventTimeBoundsFromEnv({ EVENT_TIME_PAST_DAYS: '30', EVENT_TIME_FUTURE_MINUTES: '15' })).toEqual({ pastMs: 30 * 86_400_000, futureMs: 15 * 60_000 });
    expect(eventTimeBoundsFromEnv({})).toEqual(DEFAULT_EVENT_TIME_BOUNDS);
    expect(eventTimeIssue('2024-12-10T12:00:00Z', NOW, eventTimeBoundsFromEnv({ EVENT_TIME_PAST_DAYS: '30' }))).toBeUndefined();
  });

  it.each([['0'], ['-1'], ['0x10'], ['7.5'], ['seven']])('refuses the bound %s as a configuration error', (raw) => {
    expect(() => eventTimeBoundsFromEnv({ EVENT_TIME_PAST_DAYS: raw })).toThrow(ConfigurationError);
  });
});

describe('event ids for any time', () => {
  it.each([[-1], [-8.64e15], [Number.NaN], [8.64e15], [Number.POSITIVE_INFINITY], [1.5]])('newEventId(%p) and deriveEventId never throw', (time) => {
    expect(newEventId(time)).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(deriveEventId(time, 'seed')).toBe(deriveEventId(time, 'seed'));
  });
});

describe('JSON bodies only', () => {
  it.each([['application/json'], ['application/json; charset=utf-8'], ['Application/JSON'], ['application/cloudevents+json']])('accepts %s', (type) => {
    expect(() => assertJsonContentType({ 'Content-Type': type })).not.toThrow();
  });

  it('treats a request without Content-Type as JSON, as API Gateway does', () => {
    expect(() => assertJsonContentType({})).not.toThrow();
    expect(() => assertJsonContentType(null)).not.toThrow();
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x'], ['application/xml'], ['application/jsonp'], ['json'], ['']])(
    'refuses %j with 415',
    (type) => {
      expect(() => assertJsonContentType({ 'content-type': type })).toThrow(UnsupportedMediaTypeError);
    },
  );
});

describe('the HTTP error table', () => {
  it('maps payload_too_large to 413 and unsupported_media_type to 415, in the contract shape', () => {
    const tooLarge = errorResponse(new PayloadTooLargeError('the body is 7 MB', 7_000_000, 5_242_880));
    const notJson = errorResponse(new UnsupportedMediaTypeError('text/plain'));

    expect(tooLarge.statusCode).toBe(413);
    expect(JSON.parse(tooLarge.body)).toEqual({ error: 'payload_too_large', message: 'the body is 7 MB' });
    expect(notJson.statusCode).toBe(415);
    expect(JSON.parse(notJson.body)).toEqual({ error: 'unsupported_media_type', message: expect.stringContaining('Content-Type: application/json') });
  });
});

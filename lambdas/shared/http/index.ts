export { errorResponse, isClientError } from './error-responses';
export type { ErrorBody } from './error-responses';
export {
  assertBodySize,
  assertJsonContentType,
  bodyBytes,
  DEFAULT_MAX_BODY_BYTES,
  InvalidJsonError,
  parseBody,
  parseJsonBody,
  pathParam,
  UnsupportedMediaTypeError,
} from './request';
export type { BodyEvent } from './request';
export { json, withTraceparent } from './responses';
export { matchRoute, RouteNotFoundError } from './routes';
export type { RouteMatch } from './routes';
export { PayloadTooLargeError } from './payload-too-large';

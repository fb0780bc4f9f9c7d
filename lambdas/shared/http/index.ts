export { errorResponse, isClientError } from './error-responses';
export type { ErrorBody } from './error-responses';
export { InvalidJsonError, parseBody, parseJsonBody } from './request';
export { json } from './responses';
export { matchRoute, RouteNotFoundError } from './routes';
export type { RouteMatch } from './routes';

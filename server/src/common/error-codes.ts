import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A domain error with a stable string code; the global filter renders it as
 * `{statusCode, code, message, details?}` and the dashboard translates by code.
 */
export class AppException extends HttpException {
  constructor(
    readonly code: string,
    message: string,
    status: HttpStatus,
    readonly details?: unknown,
    /** Response headers the filter adds, e.g. `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super({ statusCode: status, code, message, ...(details === undefined ? {} : { details }) }, status);
  }
}

export const notFound = (code: string, message: string) => new AppException(code, message, HttpStatus.NOT_FOUND);
export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppException(code, message, HttpStatus.BAD_REQUEST, details);
export const unauthorized = (code: string, message: string) => new AppException(code, message, HttpStatus.UNAUTHORIZED);
export const forbidden = (code: string, message: string) => new AppException(code, message, HttpStatus.FORBIDDEN);

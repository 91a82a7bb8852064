import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { ApiError } from '@floorboard/shared';
import { AppException } from './error-codes.js';
import { MetricsService } from '../metrics/metrics.service.js';

/** Generic codes for errors thrown by Nest or Express itself rather than by our modules. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'AUTH_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'TOO_MANY_REQUESTS',
};

/** The one place that turns exceptions into the `{statusCode, code, message, details?}` error shape. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  constructor(private readonly metrics: MetricsService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() === 'ws') return this.answerSocket(exception, host);
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    this.metrics.httpErrors.inc({ code: body.code, status: String(body.statusCode) });
    if (exception instanceof AppException && exception.headers) response.set(exception.headers);
    if (body.statusCode >= 500) {
      this.logger.error(
        { msg: 'unhandled error', code: body.code, error: String(exception) },
        (exception as Error)?.stack,
      );
    }
    response.status(body.statusCode).json(body);
  }

  /**
   * A refused or failed socket event answers its ack with `{ok: false, code, message}` (or, without
   * an ack, emits `error`), so a client's `emitWithAck` never hangs.
   */
  private answerSocket(exception: unknown, host: ArgumentsHost): void {
    const body = this.toBody(exception);
    const ack = host.getArgByIndex<unknown>(2);
    if (body.statusCode >= 500) {
      this.logger.error({ msg: 'unhandled socket error', error: String(exception) }, (exception as Error)?.stack);
    }
    if (typeof ack === 'function') {
      (ack as (answer: unknown) => void)({ ok: false, code: body.code, message: body.message });
      return;
    }
    const client = host.switchToWs().getClient<{ emit(event: string, payload: unknown): void }>();
    client.emit('error', { code: body.code, message: body.message });
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof AppException) return exception.getResponse() as ApiError;
    // Body-parser errors (malformed JSON, oversized body) carry a status and a type.
    const parserError = exception as { status?: number; type?: string; message?: string };
    if (!(exception instanceof HttpException) && typeof parserError?.status === 'number' && parserError.type) {
      const code =
        parserError.type === 'entity.parse.failed' ? 'BODY_MALFORMED_JSON' : CODE_BY_STATUS[parserError.status];
      return {
        statusCode: parserError.status,
        code: code ?? 'BAD_REQUEST',
        message: parserError.message ?? 'bad request',
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const cause = exception.cause as { type?: string } | undefined;
      if (cause?.type === 'entity.parse.failed') {
        return {
          statusCode: 400,
          code: 'BODY_MALFORMED_JSON',
          message: `request body is not valid JSON: ${exception.message}`,
        };
      }
      const res = exception.getResponse();
      const message =
        typeof res === 'object' && res !== null && 'message' in res
          ? (res as { message: unknown }).message
          : exception.message;
      const validationMessages = Array.isArray(message) ? message.map(String) : undefined;
      if (status === HttpStatus.BAD_REQUEST && validationMessages) {
        return {
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: validationMessages.join('; '),
          details: validationMessages,
        };
      }
      return { statusCode: status, code: CODE_BY_STATUS[status] ?? 'HTTP_ERROR', message: String(message) };
    }
    return { statusCode: 500, code: 'INTERNAL', message: 'internal server error' };
  }
}

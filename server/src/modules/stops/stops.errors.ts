import { HttpStatus } from '@nestjs/common';
import { AppException } from '../../common/error-codes.js';

/** 409: the change contradicts the current state (a reason in use, an alert already acknowledged). */
export const conflict = (code: string, message: string) => new AppException(code, message, HttpStatus.CONFLICT);
/** 422: well-formed, but not meaningful here (a split point outside the stop, an unknown reason key). */
export const unprocessable = (code: string, message: string) =>
  new AppException(code, message, HttpStatus.UNPROCESSABLE_ENTITY);

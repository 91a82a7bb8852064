import { ApiRequestError } from '../api/client';
import { hasMessage, t, type MessageParams } from '../locales/i18n';

/** The text for a server or client error code; codes without a text of their own are shown as they are. */
export function translateErrorCode(code: string, params?: MessageParams): string {
  const key = `errors.${code}`;
  return hasMessage(key) ? t(key, params) : t('errors.unknown', { code });
}

/** Seconds until sign-in may be tried again, from a 429 `AUTH_LOCKED` answer; null when not said. */
export function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof ApiRequestError) || error.code !== 'AUTH_LOCKED') return null;
  const details = error.details as { retryAfterSeconds?: unknown } | null | undefined;
  const seconds = details?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : null;
}

/** The text to show for a failed call. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiRequestError)) return translateErrorCode('UNKNOWN');
  if (error.code === 'AUTH_LOCKED') {
    const seconds = retryAfterSeconds(error);
    return seconds === null ? t('errors.AUTH_LOCKED_LATER') : t('errors.AUTH_LOCKED', { retryAfterSeconds: seconds });
  }
  return translateErrorCode(error.code, { message: error.message });
}

import { ApiRequestError } from '../api/client';
import { hasMessage, t } from '../locales/i18n';

/** The text for a server or client error code; codes without a text of their own are shown as they are. */
export function translateErrorCode(code: string): string {
  const key = `errors.${code}`;
  return hasMessage(key) ? t(key) : t('errors.unknown', { code });
}

/** The text to show for a failed call. */
export function describeError(error: unknown): string {
  return translateErrorCode(error instanceof ApiRequestError ? error.code : 'UNKNOWN');
}

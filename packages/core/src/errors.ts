import type { SmartsheetErrorInfo } from './types.js';

/** Bad configuration or input, found before any request: names the input, the value and what is allowed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly input: string,
    readonly value: string,
    readonly allowed: string,
  ) {
    super(`Invalid ${input} ${JSON.stringify(value)}: ${allowed}`);
  }
}

/** A failed Smartsheet call, as a value with a kind. Its message never contains the token. */
export class SmartsheetApiError extends Error {
  override name = 'SmartsheetApiError';
  constructor(readonly info: SmartsheetErrorInfo) {
    super(info.message);
  }
}

/** Maps an HTTP error response (status and raw body text) to a typed error. */
export function mapHttpError(status: number, bodyText: string, headers?: Headers): SmartsheetErrorInfo {
  throw new Error(`not implemented: mapHttpError(${status}, ${bodyText}, ${headers})`);
}

/** Maps a thrown fetch error or a timeout to a typed error. */
export function mapTransportError(error: unknown): SmartsheetErrorInfo {
  throw new Error(`not implemented: mapTransportError(${String(error)})`);
}

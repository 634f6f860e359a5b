/**
 * This package's version, sent in the User-Agent so Smartsheet support can tell which release made a call.
 * A constant rather than a read of package.json: core does no file I/O and is bundled into the action.
 * A test holds it equal to package.json's version.
 */
export const CORE_VERSION = '0.0.0';

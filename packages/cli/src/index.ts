export { type CliIo, EXIT_CODES, main, TOKEN_VARIABLE } from './main.js';

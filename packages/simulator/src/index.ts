export { ERRORS, type ErrorAnswer, ISP_DOMAINS } from './errors.js';
export {
  ENDPOINTS,
  type Endpoint,
  FAULT_KINDS,
  type FaultKind,
  type FaultOptions,
  type ScriptedFault,
  type StormOptions,
} from './faults.js';
export { type JournalEntry, REDACTED_AUTHORIZATION } from './journal.js';
export { API_PREFIX } from './routes.js';
export { loadSeed, parseSeed, SeedError } from './seed.js';
export {
  type AlreadyDoneBehaviour,
  type GeneratedUsers,
  type IdInput,
  type Seed,
  type SeedSettings,
  type SeedToken,
  type SeedUser,
  USER_STATUSES,
  type UserStatus,
} from './seed-format.js';
export { type Simulator, type SimulatorOptions, type SimulatorState, startSimulator } from './server.js';
export type { UserState } from './store.js';

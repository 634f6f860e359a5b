import type { FaultOptions, ScriptedFault } from './faults.js';
import type { JournalEntry } from './journal.js';
import { pathUserId } from './routes.js';
import type { UserRecord } from './seed-format.js';
import { toUserState } from './store.js';

export const CONTROL_PREFIX = '/__simulator/';

/** What the control endpoints reach inside a running simulator. */
export interface ControlTarget {
  journal(since: number): JournalEntry[];
  clearJournal(): void;
  state(): unknown;
  reset(): void;
  faults(): FaultOptions;
  setFaults(faults: FaultOptions): void;
  failNext(fault: ScriptedFault): void;
  user(id: string): UserRecord | undefined;
}

export interface ControlAnswer {
  status: number;
  body: unknown;
}

/**
 * Answers a `/__simulator/…` request (`path` includes the prefix): journal, state, reset, faults
 * and one user's state. A bad request body answers 400 with the reason.
 */
export function controlAnswer(
  target: ControlTarget,
  method: string,
  path: string,
  query: URLSearchParams,
  body: string,
): ControlAnswer {
  const action = `${method} ${path.slice(CONTROL_PREFIX.length)}`;
  const ok = (value: unknown): ControlAnswer => ({ status: 200, body: value });
  try {
    switch (action) {
      case 'GET requests': {
        const since = query.get('since') ?? '0';
        // A mistyped `since` would otherwise filter out every entry and look like an empty journal.
        if (!/^\d+$/.test(since)) {
          return {
            status: 400,
            body: { message: `Invalid since ${JSON.stringify(since)}: a whole number, 0 or more` },
          };
        }
        return ok({ requests: target.journal(Number(since)) });
      }
      case 'DELETE requests':
        target.clearJournal();
        return ok({ cleared: true });
      case 'GET state':
        return ok(target.state());
      case 'POST reset':
        target.reset();
        return ok({ reset: true });
      case 'GET faults':
        return ok(target.faults());
      case 'PUT faults':
        target.setFaults(JSON.parse(body || '{}'));
        return ok(target.faults());
      case 'POST fail-next':
        target.failNext(JSON.parse(body || '{}'));
        return ok({ scripted: true });
    }
    const userMatch = /^GET users\/(\d+)$/.exec(action);
    const user = userMatch && target.user(pathUserId(userMatch[1]!) ?? '');
    if (user) return ok(toUserState(user));
    return { status: 404, body: { message: `Unknown simulator control or user: ${action}` } };
  } catch (error) {
    return { status: 400, body: { message: error instanceof Error ? error.message : String(error) } };
  }
}

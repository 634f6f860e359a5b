// What the simulator saw of a job, computed where the simulator runs.

/** What the simulator saw: requests, 429s, successful deactivations per user, users left active. */
export function audit(simulator, targets) {
  const journal = simulator.journal();
  const planned = new Set(targets.map((t) => t.id));
  const successes = new Map();
  let outsidePlan = 0;
  let rateLimited = 0;
  let serverErrors = 0;
  for (const entry of journal) {
    if (entry.status === 429) rateLimited++;
    if (entry.status >= 500) serverErrors++;
    if (entry.endpoint !== 'deactivateUser') continue;
    if (!planned.has(entry.userId)) outsidePlan++;
    if (entry.status === 200) successes.set(entry.userId, (successes.get(entry.userId) ?? 0) + 1);
  }
  const missed = targets.filter((t) => simulator.user(t.id)?.status !== 'DEACTIVATED').length;
  const twice = [...successes.values()].filter((n) => n > 1).length;
  const wrongUsers = [...successes.keys()].filter((id) => !planned.has(id)).length;
  return {
    requests: journal.length,
    rateLimited,
    serverErrors,
    deactivations: successes.size,
    missed,
    twice,
    outsidePlan,
    wrongUsers,
  };
}

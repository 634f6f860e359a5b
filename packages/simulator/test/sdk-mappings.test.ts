import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.js';
import { ADMIN_TOKEN, call, IDS, startTestSimulator, USER_TOKEN } from './helpers.js';

interface Mapping {
  request: {
    method?: string;
    urlPathTemplate?: string;
    urlPathPattern?: string;
    headers: Record<string, { equalTo?: string; matches?: string }>;
  };
  response: { status: number; jsonBody: Record<string, unknown> };
}

const MAPPINGS = fileURLToPath(new URL('./fixtures/sdk-tests-mappings/', import.meta.url));

function readMappings(folder: string): Array<[string, Mapping]> {
  const directory = join(MAPPINGS, folder);
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [file, JSON.parse(readFileSync(join(directory, file), 'utf8')) as Mapping]);
}

/** Keys and JSON types, recursively: "the same shape". */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shape(inner)]),
    );
  }
  return value === null ? 'null' : typeof value;
}

/** The headers the mapping requires, with values that satisfy it. */
function mappingHeaders(mapping: Mapping, token: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, rule] of Object.entries(mapping.request.headers)) {
    if (name.toLowerCase() === 'authorization') headers[name] = `Bearer ${token}`;
    else headers[name] = rule.equalTo ?? `sdk-test-${name}`;
  }
  return headers;
}

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

// The user each operation's request is sent for: one it succeeds on.
const TARGETS: Record<string, string> = { deactivate: IDS.carol, reactivate: IDS.deactivatedRecently };

describe('official SDK test mappings: users', () => {
  const mappings = readMappings('users');

  it('covers deactivate and reactivate', () => {
    expect(mappings.map(([, mapping]) => mapping.request.urlPathTemplate)).toEqual([
      '/2.0/users/{userId}/deactivate',
      '/2.0/users/{userId}/reactivate',
    ]);
  });

  it.each(mappings)('%s: same status and body shape', async (_file, mapping) => {
    sim = await startTestSimulator();
    const template = mapping.request.urlPathTemplate!;
    const operation = template.split('/').pop()!;
    const path = template.replace('/2.0', '').replace('{userId}', TARGETS[operation]!);
    const result = await call(
      sim,
      mapping.request.method!,
      path,
      undefined,
      mappingHeaders(mapping, ADMIN_TOKEN),
    );
    expect(result.status).toBe(mapping.response.status);
    expect(shape(result.json)).toEqual(shape(mapping.response.jsonBody));
    expect(result.json).toEqual(mapping.response.jsonBody);
    expect(sim.journal()[0]!.headers['x-test-name']).toBe(mapping.request.headers['x-test-name']!.equalTo);
  });
});

describe('official SDK test mappings: errors', () => {
  const byStatus = Object.fromEntries(
    readMappings('errors').map(([, mapping]) => [mapping.response.status, mapping]),
  );

  it('403: the same body shape and message for a refused deactivation', async () => {
    sim = await startTestSimulator();
    const mapping = byStatus[403]!;
    const result = await call(
      sim,
      'POST',
      `/users/${IDS.carol}/deactivate`,
      undefined,
      mappingHeaders(mapping, USER_TOKEN),
    );
    expect(result.status).toBe(403);
    expect(shape(result.json)).toEqual(shape(mapping.response.jsonBody));
    expect(result.json.message).toBe(mapping.response.jsonBody.message);
  });

  // The 400 and 500 mappings carry no refId, which Smartsheet documents on every error: the
  // simulator's bodies must have at least their keys, with the same types.
  it.each([
    [400, '/users?pageSize=abc', undefined],
    [500, '/users', '4000'],
  ] as const)('%i: a body with the mapping’s keys and types (plus refId)', async (status, path, fault) => {
    sim = await startTestSimulator();
    if (fault) sim.failNext({ fault });
    const mapping = byStatus[status]!;
    const result = await call(sim, 'GET', path, undefined, mappingHeaders(mapping, ADMIN_TOKEN));
    expect(result.status).toBe(status);
    expect(shape(result.json)).toMatchObject(shape(mapping.response.jsonBody) as object);
    expect(Object.keys(result.json).sort()).toEqual(['errorCode', 'message', 'refId']);
  });
});

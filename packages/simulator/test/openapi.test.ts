import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Simulator } from '../src/index.js';
import {
  ADMIN_TOKEN,
  type CallResult,
  call,
  EXPIRED_TOKEN,
  IDS,
  startTestSimulator,
  USER_TOKEN,
} from './helpers.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default;

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  allOf?: JsonSchema[];
  [keyword: string]: unknown;
}

const spec = parseYaml(readFileSync(new URL('./fixtures/openapi-users.yaml', import.meta.url), 'utf8')) as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>
  >;
  components: { schemas: Record<string, JsonSchema> };
};

/** The spec's `#/components/schemas/X` references, pointed at one shared schema document. */
function pointRefs<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value).replaceAll('"#/components/schemas/', '"smartsheet-components#/definitions/'),
  ) as T;
}

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
// OpenAPI annotations that are not JSON Schema keywords.
ajv.addVocabulary(['example', 'x-tags']);
ajv.addSchema({ $id: 'smartsheet-components', definitions: pointRefs(spec.components.schemas) });

function responseSchema(path: string, method: string, status: string): JsonSchema {
  const schema = spec.paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no ${status} schema for ${method} ${path} in the spec copy`);
  return pointRefs(schema);
}

const validators: Record<string, ValidateFunction> = {
  listUsers: ajv.compile(responseSchema('/users', 'get', '200')),
  getCurrentUser: ajv.compile(responseSchema('/users/me', 'get', '200')),
  getUser: ajv.compile(responseSchema('/users/{userId}', 'get', '200')),
  deactivateUser: ajv.compile(responseSchema('/users/{userId}/deactivate', 'post', '200')),
  reactivateUser: ajv.compile(responseSchema('/users/{userId}/reactivate', 'post', '200')),
  error: ajv.compile(responseSchema('/users/{userId}/deactivate', 'post', 'default')),
};

/** Property names a schema declares, through `allOf`. */
function declared(schema: JsonSchema): Set<string> {
  const resolved = schema.$ref ? spec.components.schemas[String(schema.$ref).split('/').pop()!]! : schema;
  return new Set([
    ...Object.keys(resolved.properties ?? {}),
    ...(resolved.allOf ?? []).flatMap((part) => [...declared(part)]),
  ]);
}
const USER_KEYS = declared(spec.components.schemas.User!);
const PROFILE_KEYS = declared(spec.components.schemas.UserProfile!);

/**
 * The spec declares no required fields and allows extra ones, so a schema check alone would pass `{}`:
 * also require the fields clients read and allow only declared ones (plus the documented `isInternal`
 * that newer servers add to listed users).
 */
function expectValid(kind: keyof typeof validators, result: CallResult): void {
  const validate = validators[kind]!;
  expect(validate(result.json), `${kind}: ${ajv.errorsText(validate.errors)}\n${result.text}`).toBe(true);
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(() => sim.stop());

describe('responses validate against the schemas of Smartsheet’s OpenAPI excerpt', () => {
  it('GET /users (admin and non-admin callers, filtered, paged)', async () => {
    for (const [path, token] of [
      ['/users', ADMIN_TOKEN],
      ['/users', USER_TOKEN],
      ['/users?email=bob@example.com,dave@gmail.com', ADMIN_TOKEN],
      ['/users?page=2&pageSize=5', ADMIN_TOKEN],
      ['/users?includeAll=true', ADMIN_TOKEN],
    ] as const) {
      const result = await call(sim, 'GET', path, token);
      expect(result.status).toBe(200);
      expectValid('listUsers', result);
      expect(Object.keys(result.json).sort()).toEqual(
        path.includes('includeAll')
          ? ['data', 'pageNumber', 'totalCount', 'totalPages']
          : ['data', 'pageNumber', 'pageSize', 'totalCount', 'totalPages'],
      );
      for (const user of result.json.data) {
        for (const key of Object.keys(user)) expect([...USER_KEYS, 'isInternal']).toContain(key);
        expect(typeof user.id).toBe('number');
        expect(typeof user.email).toBe('string');
        if (token === ADMIN_TOKEN)
          expect(['ACTIVE', 'DECLINED', 'PENDING', 'DEACTIVATED']).toContain(user.status);
      }
    }
  });

  it('GET /users/me and GET /users/{userId} (UserProfile: no status)', async () => {
    for (const [kind, path, token] of [
      ['getCurrentUser', '/users/me', ADMIN_TOKEN],
      ['getCurrentUser', '/users/me', USER_TOKEN],
      ['getUser', `/users/${IDS.big}`, ADMIN_TOKEN],
      ['getUser', `/users/${IDS.admin}`, USER_TOKEN],
    ] as const) {
      const result = await call(sim, 'GET', path, token);
      expect(result.status).toBe(200);
      expectValid(kind, result);
      for (const key of Object.keys(result.json)) expect([...PROFILE_KEYS]).toContain(key);
      expect(result.json).not.toHaveProperty('status');
      expect(typeof result.json.id).toBe('number');
    }
  });

  it('POST deactivate and reactivate (GenericResult)', async () => {
    const deactivated = await call(sim, 'POST', `/users/${IDS.carol}/deactivate`, ADMIN_TOKEN);
    expectValid('deactivateUser', deactivated);
    const reactivated = await call(sim, 'POST', `/users/${IDS.carol}/reactivate`, ADMIN_TOKEN);
    expectValid('reactivateUser', reactivated);
    expect(Object.keys(reactivated.json).sort()).toEqual(['message', 'resultCode']);
  });

  it('every kind of error (Error: errorCode, message, refId)', async () => {
    const errors: CallResult[] = [];
    errors.push(await call(sim, 'GET', '/users'));
    errors.push(await call(sim, 'GET', '/users', 'nope'));
    errors.push(await call(sim, 'GET', '/users/me', EXPIRED_TOKEN));
    sim.failNext({ fault: '4004' });
    errors.push(await call(sim, 'GET', '/users', ADMIN_TOKEN));
    for (const [method, path, token] of [
      ['GET', '/users?pageSize=5000', ADMIN_TOKEN],
      ['GET', '/users/404404', ADMIN_TOKEN],
      ['GET', '/users/x', ADMIN_TOKEN],
      ['PUT', '/users', ADMIN_TOKEN],
      ['POST', `/users/${IDS.isp}/deactivate`, ADMIN_TOKEN],
      ['POST', `/users/${IDS.directory}/deactivate`, ADMIN_TOKEN],
      ['POST', `/users/${IDS.carol}/deactivate`, USER_TOKEN],
    ] as const) {
      errors.push(await call(sim, method, path, token));
    }
    expect(errors.map((result) => result.status)).toEqual([
      401, 401, 401, 500, 400, 404, 404, 405, 403, 400, 403,
    ]);
    for (const result of errors) {
      expectValid('error', result);
      expect(Object.keys(result.json).sort()).toEqual(['errorCode', 'message', 'refId']);
    }
  });

  it('the schema check can fail: a string id, an unknown result message or status is caught', () => {
    expect(validators.listUsers!({ data: [{ id: '1', email: 'a@example.com' }] })).toBe(false);
    expect(validators.deactivateUser!({ message: 'DONE', resultCode: 0 })).toBe(false);
    expect(validators.listUsers!({ data: [{ id: 1, email: 'a@example.com', status: 'GONE' }] })).toBe(false);
  });
});

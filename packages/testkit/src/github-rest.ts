// Checks requests and responses against GitHub's official REST description: the operations the action uses,
// cut from `@octokit/openapi` into github-rest.generated.json (its `info.x-source` names the version).
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Schema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}

interface MediaType {
  schema?: Schema;
  examples?: Record<string, { $ref?: string; value?: unknown }>;
}

interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { $ref?: string; content?: Record<string, MediaType> }>;
}

interface Description {
  info: { version: string; 'x-source': string };
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

const description = JSON.parse(
  readFileSync(new URL('./github-rest.generated.json', import.meta.url), 'utf8'),
) as Description;

/** Where the description came from, for test names and messages. */
export const DESCRIPTION_SOURCE = description.info['x-source'];

/**
 * OpenAPI 3.0's `nullable: true` as JSON Schema: ajv accepts `nullable` only beside a `type`, and GitHub's
 * description also puts it beside `allOf`/`anyOf`.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    converted[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([name, s]) => [name, toJsonSchema(s)]))
        : key === 'example' || key === 'default' || key === 'enum'
          ? value
          : toJsonSchema(value);
  }
  if (converted.nullable !== true) return converted;
  delete converted.nullable;
  if (typeof converted.type !== 'string') return { anyOf: [{ type: 'null' }, converted] };
  converted.type = [converted.type, 'null'];
  if (Array.isArray(converted.enum)) converted.enum = [...converted.enum, null];
  return converted;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'github', components: toJsonSchema(description.components) });

const compiled = new Map<string, ValidateFunction>();
/** A validator for a schema of the description; its `#/components/…` references resolve in it. */
function validatorFor(schema: Schema): ValidateFunction {
  const text = JSON.stringify(schema).replaceAll('"#/components/', '"github#/components/');
  let validate = compiled.get(text);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(JSON.parse(text)) as Schema);
    compiled.set(text, validate);
  }
  return validate;
}

function resolve<T>(node: T | { $ref: string }): T {
  if (node && typeof node === 'object' && '$ref' in node && typeof node.$ref === 'string') {
    const [, , kind, name] = node.$ref.split('/');
    return description.components[kind!]![name!] as T;
  }
  return node as T;
}

const errorsOf = (validate: ValidateFunction) =>
  (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message}`).join('; ');

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  operation: Operation;
}

const routes: Route[] = Object.entries(description.paths).flatMap(([template, item]) =>
  Object.entries(item).map(([method, operation]) => {
    const names: string[] = [];
    const source = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      const parameter = operationParameters(operation).find((p) => p.name === name);
      // `x-multi-segment` marks a parameter that may hold slashes (a file path).
      return (parameter as { 'x-multi-segment'?: boolean } | undefined)?.['x-multi-segment']
        ? '(.+)'
        : '([^/]+)';
    });
    return { method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), names, operation };
  }),
);

function operationParameters(operation: Operation): Parameter[] {
  return (operation.parameters ?? []).map((parameter) => resolve<Parameter>(parameter));
}

export function hasOperation(operationId: string): boolean {
  return routes.some((route) => route.operation.operationId === operationId);
}

/** A request as it reached the server: `path` without the query, still percent-encoded. */
export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  accept?: string;
  /** The parsed JSON body, when there is one. */
  body?: unknown;
}

export interface RestResponse {
  status: number;
  contentType: string;
  /** Parsed JSON, or the text of a raw response. */
  body: unknown;
}

/** The operation of the description a request is for. */
export interface MatchedOperation {
  operationId: string;
  template: string;
  method: string;
  operation: Operation;
  /** Path parameters, decoded. */
  params: Record<string, string>;
}

export function matchOperation(method: string, path: string): MatchedOperation | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(
      route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]),
    );
    return {
      operationId: route.operation.operationId,
      template: route.template,
      method,
      operation: route.operation,
      params,
    };
  }
  return undefined;
}

/** Query and path values are strings on the wire: read them as the parameter's type before validating. */
function fromWire(value: string, schema: Schema): unknown {
  const type = schema.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Every way the request departs from the operation's description; empty when it conforms. */
export function requestViolations(request: RestRequest): string[] {
  const matched = matchOperation(request.method, request.path);
  if (!matched) return [`${request.method} ${request.path}: no operation of the description`];
  const where = `${matched.operationId} (${request.method} ${request.path})`;
  const violations: string[] = [];
  const parameters = operationParameters(matched.operation);
  for (const parameter of parameters) {
    const value =
      parameter.in === 'path'
        ? matched.params[parameter.name]
        : parameter.in === 'query'
          ? (request.query.get(parameter.name) ?? undefined)
          : undefined;
    if (parameter.in === 'header') continue;
    if (value === undefined) {
      if (parameter.required)
        violations.push(`${where}: missing ${parameter.in} parameter ${parameter.name}`);
      continue;
    }
    const validate = validatorFor(parameter.schema);
    if (!validate(fromWire(value, parameter.schema))) {
      violations.push(
        `${where}: ${parameter.in} parameter ${parameter.name}=${value}: ${errorsOf(validate)}`,
      );
    }
  }
  for (const name of new Set(request.query.keys())) {
    if (!parameters.some((parameter) => parameter.in === 'query' && parameter.name === name)) {
      violations.push(`${where}: unknown query parameter ${name}`);
    }
  }
  const requestBody = matched.operation.requestBody;
  if (requestBody) {
    const schema = requestBody.content['application/json']?.schema;
    if (request.body === undefined) {
      if (requestBody.required) violations.push(`${where}: missing request body`);
    } else if (schema) {
      const validate = validatorFor(schema);
      if (!validate(request.body)) violations.push(`${where}: request body: ${errorsOf(validate)}`);
    }
  } else if (request.body !== undefined) {
    violations.push(`${where}: a body, but the operation takes none`);
  }
  return violations;
}

/** GitHub's media type for raw file content; without `charset` Octokit returns an ArrayBuffer, not text. */
export const RAW_CONTENT_TYPE = 'application/vnd.github.raw; charset=utf-8';

/**
 * Every way a response departs from the description. A status the operation does not document must still
 * be one of GitHub's errors: a 4xx or 5xx with the `basic-error` body (`message`, `documentation_url`).
 */
export function responseViolations(request: RestRequest, response: RestResponse): string[] {
  const matched = matchOperation(request.method, request.path);
  if (!matched) return [`${request.method} ${request.path}: no operation of the description`];
  const where = `${matched.operationId} ${response.status} (${request.method} ${request.path})`;
  const mediaType = response.contentType.split(';')[0]!.trim();
  if (response.status < 300 && /vnd\.github(\.v3)?\.raw/.test(request.accept ?? '')) {
    return response.contentType === RAW_CONTENT_TYPE
      ? []
      : [`${where}: raw content served as ${response.contentType}, GitHub serves ${RAW_CONTENT_TYPE}`];
  }
  const documented = matched.operation.responses[String(response.status)];
  if (!documented) {
    if (response.status < 400) return [`${where}: a status the operation does not document`];
    return checkBody(where, basicError(), response.body, mediaType);
  }
  const content = resolve(documented).content;
  if (!content) return response.body === undefined || response.body === '' ? [] : [`${where}: a body`];
  const media = content[mediaType];
  if (!media) {
    return [`${where}: content type ${mediaType}; documented: ${Object.keys(content).join(', ')}`];
  }
  return media.schema ? checkBody(where, media.schema, response.body, mediaType) : [];
}

function basicError(): Schema {
  return {
    allOf: [{ $ref: '#/components/schemas/basic-error' }, { required: ['message', 'documentation_url'] }],
  };
}

function checkBody(where: string, schema: Schema, body: unknown, mediaType: string): string[] {
  if (mediaType !== 'application/json')
    return [`${where}: content type ${mediaType}, expected application/json`];
  const validate = validatorFor(schema);
  return validate(body) ? [] : [`${where}: ${errorsOf(validate)}`];
}

/**
 * GitHub's own example of an operation's response (deep-copied), the fake's starting point for each
 * object it serves.
 */
export function documentedExample(operationId: string, status = '200', exampleName?: string): unknown {
  const route = routes.find((candidate) => candidate.operation.operationId === operationId);
  if (!route) throw new Error(`${operationId} is not in the description`);
  const response = resolve(route.operation.responses[status]!);
  const examples = response.content?.['application/json']?.examples ?? {};
  const example = resolve(examples[exampleName ?? Object.keys(examples)[0]!]!) as { value: unknown };
  return structuredClone(example.value);
}

// The production GitHub client: how its Octokit is built, and what bounds and names each call's failure.

import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import {
  type GitHubApi,
  NotUtf8Error,
  type Octokit,
  octokitApi,
  type Repository,
  TreeTruncatedError,
} from './github.js';

/** How the production client bounds each GitHub call. */
export interface GitHubClientOptions {
  /** Aborted when the workflow is cancelled: every request in flight and every wait for a retry ends. */
  signal?: AbortSignal;
  /** How long one request may take before it is abandoned (and retried); `GITHUB_TIMEOUT_DEFAULT_SECONDS`. */
  timeoutSeconds?: number;
  /** Where retries and waits are logged (`core.info`). */
  log?: (message: string) => void;
  /** GitHub's API; `@actions/github` reads `GITHUB_API_URL` otherwise. */
  baseUrl?: string;
}

/**
 * GitHub ends a REST request that takes it over 10 seconds; twice that leaves room for the network while a
 * connection that hangs is given up in time.
 */
export const GITHUB_TIMEOUT_DEFAULT_SECONDS = 20;
/** Attempts per request for a 5xx, a network error or a timeout: the first and two retries (after 1 s, 4 s). */
export const GITHUB_ATTEMPTS = 3;
/** Rate limits are waited out only this long, at most twice per request; a longer wait fails the run instead. */
export const GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS = 60;
const RATE_LIMIT_RETRIES = 2;

/** The variable that changes the per-request time limit (in seconds, up to 600): for slow GitHub Enterprise Servers. */
export const GITHUB_TIMEOUT_VARIABLE = 'SMARTSHEET_OFFBOARD_GITHUB_TIMEOUT_SECONDS';

/** The per-request time limit from the environment, or the default; a value that is not a number is refused. */
export function githubTimeoutSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[GITHUB_TIMEOUT_VARIABLE]?.trim();
  if (!text) return GITHUB_TIMEOUT_DEFAULT_SECONDS;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0 || seconds > 600) {
    throw new Error(
      `${GITHUB_TIMEOUT_VARIABLE} has the invalid value "${text}": expected a number of seconds above 0 and at most 600`,
    );
  }
  return seconds;
}

/**
 * The production client: the one place an Octokit is built, so its retries (5xx, network errors,
 * timeouts: `GITHUB_ATTEMPTS` attempts), rate-limit handling, per-request time limit and cancellation apply
 * to every call the action makes, and every failure names the call, GitHub's status and what to do.
 */
export function createGitHubApi(
  token: string,
  repository: Repository,
  options: GitHubClientOptions = {},
): GitHubApi {
  const { signal, log = () => {} } = options;
  const timeoutSeconds = options.timeoutSeconds ?? GITHUB_TIMEOUT_DEFAULT_SECONDS;
  const waitFor =
    (limit: string) =>
    (retryAfter: number, request: object, octokit: Pick<Octokit, 'request'>, retryCount: number) => {
      const wanted =
        !signal?.aborted &&
        retryCount < RATE_LIMIT_RETRIES &&
        retryAfter <= GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS;
      if (wanted)
        log(
          `GitHub's ${limit} on ${describeRequest(octokit, request as EndpointOptions)}: retrying in ${retryAfter} s.`,
        );
      return wanted;
    };
  const octokit = getOctokit(
    token,
    {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      retry: { retries: GITHUB_ATTEMPTS - 1 },
      throttle: { onRateLimit: waitFor('rate limit'), onSecondaryRateLimit: waitFor('secondary rate limit') },
    },
    // First, so that it wraps each attempt: the retry and throttling plugins wrap it in turn.
    boundedAttempts(timeoutSeconds, log, signal),
    retry,
    throttling,
  );
  return withNamedErrors(octokitApi(octokit, repository), { signal, timeoutSeconds });
}

/**
 * An Octokit plugin giving each attempt of a request its own time limit and the run's cancellation, and
 * logging each attempt GitHub failed. (Passing `request.fetch` instead would drop `@actions/github`'s proxy
 * support, which lives in its default `request` options.)
 */
function boundedAttempts(timeoutSeconds: number, log: (message: string) => void, signal?: AbortSignal) {
  const plugin: OctokitPlugin = (octokit) => {
    octokit.hook.wrap('request', async (request, options) => {
      const signals = [AbortSignal.timeout(timeoutSeconds * 1000), ...(signal ? [signal] : [])];
      // In place: the hooks inside this one were bound to this very object.
      options.request = Object.assign(options.request ?? {}, { signal: AbortSignal.any(signals) });
      try {
        return await request(options);
      } catch (error) {
        const failed = error as FailedRequest;
        if (signal?.aborted) throw error;
        const what = describeRequest(octokit, options);
        if (!failed.response)
          log(`No answer from GitHub to ${what}: ${errorMessage(failed.cause ?? error)}.`);
        else if ((failed.status ?? 0) >= 500) log(`GitHub answered HTTP ${failed.status} to ${what}.`);
        throw error;
      }
    });
  };
  return plugin;
}

type OctokitPlugin = NonNullable<Parameters<typeof getOctokit>[2]>;
type EndpointOptions = Parameters<Octokit['request']['endpoint']['parse']>[0];

/** `GET /repos/acme/people/pulls/3`, for logs: the method and the path with its parameters filled in. */
function describeRequest(octokit: Pick<Octokit, 'request'>, options: EndpointOptions): string {
  const { method, url } = octokit.request.endpoint.parse(options);
  return `${method} ${pathOf(url)}`;
}

/** A GitHub call that failed for good: its message names the call, GitHub's status and what to do. */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  constructor(
    message: string,
    /** The `GitHubApi` method, for example `updateComment`. */
    readonly operation: string,
    /** GitHub's HTTP status; undefined when GitHub did not answer. */
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Every method of `api`, with failures turned into `GitHubApiError`s and cancellation ending a call at
 * once, even while it waits to retry.
 */
export function withNamedErrors(
  api: GitHubApi,
  { signal, timeoutSeconds }: { signal?: AbortSignal; timeoutSeconds: number },
): GitHubApi {
  const named = {} as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const [operation, method] of Object.entries(api) as [
    string,
    (...args: unknown[]) => Promise<unknown>,
  ][]) {
    named[operation] = async (...args) => {
      try {
        return await untilAborted(method.apply(api, args), signal);
      } catch (error) {
        throw namedError(operation, error, signal, timeoutSeconds);
      }
    };
  }
  return named as unknown as GitHubApi;
}

const CANCELLED = Symbol('cancelled');

function untilAborted<T>(call: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return call;
  // The call itself ends soon after (its next request is aborted); nothing may wait for it meanwhile.
  call.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(CANCELLED);
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

interface FailedRequest {
  status?: number;
  request?: { method?: string; url?: string };
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
  cause?: unknown;
}

function namedError(
  operation: string,
  error: unknown,
  signal: AbortSignal | undefined,
  timeoutSeconds: number,
): Error {
  if (error instanceof GitHubApiError) return error;
  // The adapter's own verdicts on an answer GitHub gave: they already say what is wrong and what to do.
  if (error instanceof TreeTruncatedError || error instanceof NotUtf8Error) return error;
  const failed = (error ?? {}) as FailedRequest;
  const call = failed.request?.method
    ? `${operation} (${failed.request.method} ${pathOf(failed.request.url ?? '')})`
    : operation;
  const fail = (status: number | undefined, what: string, advice: string) =>
    new GitHubApiError(`GitHub API ${call} ${what}. ${advice}`, operation, status, { cause: error });
  if (error === CANCELLED || signal?.aborted) {
    return fail(undefined, 'was cancelled with the workflow run', 'Nothing more was asked of GitHub.');
  }
  const response = failed.response;
  if (!response) {
    const cause = failed.cause as { name?: string } | undefined;
    const what =
      cause?.name === 'TimeoutError'
        ? `got no answer within ${timeoutSeconds} s, ${GITHUB_ATTEMPTS} times`
        : `could not reach GitHub (${errorMessage(failed.cause ?? error)}), ${GITHUB_ATTEMPTS} times`;
    return fail(undefined, what, `Re-run the job later; ${STATUS_PAGE} shows GitHub's incidents.`);
  }
  const status = failed.status ?? 0;
  const headers = response.headers ?? {};
  const said = githubMessage(response.data);
  const what = `failed with HTTP ${status}${said ? ` (${said})` : ''}`;
  if (headers['x-ratelimit-remaining'] === '0') {
    const reset = new Date(Number(headers['x-ratelimit-reset']) * 1000);
    const when = Number.isNaN(reset.getTime()) ? 'it resets' : `${reset.toISOString().slice(11, 19)} UTC`;
    return fail(status, what, `The token's GitHub API rate limit is used up: re-run the job after ${when}.`);
  }
  if (/secondary rate limit/i.test(said)) {
    return fail(
      status,
      what,
      'GitHub limits requests made in quick succession: re-run the job in a few minutes.',
    );
  }
  if (status >= 500) {
    return fail(
      status,
      `${what}, ${GITHUB_ATTEMPTS} times`,
      `Re-run the job later; ${STATUS_PAGE} shows GitHub's incidents.`,
    );
  }
  const advice =
    status === 401
      ? "The github-token input is not a valid token (expired or revoked); leave it at its default, the workflow's own token, unless another is needed."
      : status === 403 && /Issue/.test(operation)
        ? 'The github-token may not do this: keeping the drift issue needs `permissions:` `issues: write` (or set drift to revert or ignore).'
        : status === 403
          ? 'The github-token may not do this: the job needs `permissions:` `contents: read` and `pull-requests: write` (a pull_request run from a fork always gets a read-only token).'
          : status === 404
            ? 'GitHub has no such object, or the github-token may not see it (`contents: read`, `pull-requests: read`).'
            : 'GitHub refused the request.';
  return fail(status, what, advice);
}

const STATUS_PAGE = 'https://www.githubstatus.com';

/** GitHub's own `message`, on one line and short; nothing of an HTML error page. */
function githubMessage(data: unknown): string {
  const message = (data as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') return '';
  const line = message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** A request's path without its query or host, for messages. */
function pathOf(url: string): string {
  try {
    return new URL(url, 'http://github.invalid').pathname;
  } catch {
    return url;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { DOCS } from './github-faults.js';
import type { FakeRepository } from './github-repository.js';

/** What the fake GitHub API answers a request with: JSON `body`, or `raw` bytes. */
export type Reply = { status: number; body?: unknown; headers?: Record<string, string>; raw?: Buffer };

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const error = (status: number, message: string): Reply => ({
  status,
  body: { message, documentation_url: DOCS },
});
export const notFound = () => error(404, 'Not Found');

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `template` with `fields` laid over it, objects merged field by field; `undefined` fields are left out. */
export function over<T>(template: T, fields: object): T {
  const merged: Record<string, unknown> = { ...(template as Record<string, unknown>) };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete merged[key];
    else merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? over(merged[key], value) : value;
  }
  return merged as T;
}

/** Who creates what the token creates: the viewer, or the workflow's own token's `github-actions[bot]`. */
export function tokenUser(repository: FakeRepository): { login: string; type: string } {
  return repository.viewer === undefined
    ? { login: 'github-actions[bot]', type: 'Bot' }
    : { login: repository.viewer, type: 'User' };
}

export function userOf(template: unknown): object {
  return (template as { user: object }).user;
}

/** One page of `items` with GitHub's `Link` header, in its `/repositories/{id}/…` form. */
export function page(repository: FakeRepository, url: URL, items: readonly unknown[]): Reply {
  const perPage = Number(url.searchParams.get('per_page') ?? 30);
  const page = Number(url.searchParams.get('page') ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const prefix = `/repos/${repository.owner}/${repository.repo}/`;
  const linkPath = url.pathname.startsWith(prefix)
    ? `/repositories/${repository.repositoryId}/${url.pathname.slice(prefix.length)}`
    : url.pathname;
  const link = (n: number, rel: string) => {
    const target = new URL(linkPath, url.origin);
    for (const [name, value] of url.searchParams) target.searchParams.set(name, value);
    target.searchParams.set('page', String(n));
    return `<${target.href}>; rel="${rel}"`;
  };
  const links = [];
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

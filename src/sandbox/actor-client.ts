// The one way callers outside a sandbox drive it over HTTP: its actor endpoints (a person requesting or
// approving) and admin endpoints (seed, faults, rate limits). Used by the demo CLI, the tests and the bench.

/** POSTs JSON to a sandbox path and returns the parsed answer; throws with the body on a non-2xx. */
export async function sandboxPost<T = unknown>(
  baseUrl: string,
  path: string,
  body: unknown = {},
): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** GETs a sandbox path as JSON; throws with the body on a non-2xx. */
export async function sandboxGet<T = unknown>(baseUrl: string, path: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

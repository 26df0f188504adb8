'use client';

/**
 * GET a JSON API route; a non-2xx answer throws an Error carrying the API's own message and hint (the server says
 * what to do), so callers show that instead of "500".
 */
export async function fetchJson(url: string, init?: RequestInit): Promise<unknown> {
  const res = await fetch(url, init);
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = body as { message?: string; hint?: string } | null;
    throw new Error(err?.message ? `${err.message}${err.hint ? ` ${err.hint}` : ''}` : `The server answered ${res.status}.`);
  }
  return body;
}

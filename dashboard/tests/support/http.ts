/** A `fetch` answer with a JSON body, for stubbing `fetch` in unit tests. */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

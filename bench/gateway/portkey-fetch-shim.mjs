// Preloaded into the Portkey process (node --import). Portkey 1.15.2 on Node appends x-portkey-*
// headers to the upstream fetch() Response, whose headers are immutable by the fetch spec, and
// answers 500 "Something went wrong" to every chat (Portkey-AI/gateway#1389, #1550). Re-wrapping
// the upstream Response gives it mutable headers; the body stream is passed through untouched.
const realFetch = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const r = await realFetch(...args);
  return new Response(r.body, { status: r.status, statusText: r.statusText, headers: new Headers(r.headers) });
};

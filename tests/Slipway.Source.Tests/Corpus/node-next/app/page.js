// Rendered on each request (not prerendered), so the answer comes from the standalone server.
export const dynamic = 'force-dynamic';

export default function Page() {
  return <h1>hello from node-next, rendered at request time</h1>;
}

// The Slipway dashboard server. No dependencies: node's http module only.
//   PORT         listen port (default 8080)
//   BUILDER_API  base URL of the builder worker's read-only API (`slipway builder serve --http ...`), e.g.
//                http://127.0.0.1:8081; /api/* is proxied there (GET only)
//   IMAGES_JSON  the pipeline's report written by PushImages (default /data/images.json; mount artifacts/ at /data)
//   TAGS_JSON    optional: `./build.sh ListImages --json` output, the registry's tags marked [main]/[branch]
//   HOST         listen address (default 127.0.0.1; the container image sets 0.0.0.0)
//   BUILDER_API_TOKEN / BUILDER_API_TOKEN_FILE
//                the dashboard's own bearer token for the builder API (an all-tenant line of the worker's
//                --api-token-file, or a tenant's line for a dashboard of that tenant), sent upstream, never to the page
//   DASHBOARD_TOKEN / DASHBOARD_TOKEN_FILE
//                when set, every page and /api call needs it: `Authorization: Bearer TOKEN`, or open
//                /?token=TOKEN once in a browser (it becomes an HttpOnly cookie and leaves the address bar)
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const port = Number(process.env.PORT || 8080);
const builderApi = (process.env.BUILDER_API || '').replace(/\/+$/, '');
const report = process.env.IMAGES_JSON || '/data/images.json';
const tags = process.env.TAGS_JSON || '';
const page = path.join(__dirname, 'dist', 'index.html');
const host = process.env.HOST || '127.0.0.1';
const secret = (name) => {
  const file = process.env[name + '_FILE'];
  if (file) return fs.readFileSync(file, 'utf8').trim();
  return (process.env[name] || '').trim();
};
const crypto = require('crypto');

const apiToken = process.argv.includes('--check') ? '' : secret('BUILDER_API_TOKEN');
const dashboardToken = process.argv.includes('--check') ? '' : secret('DASHBOARD_TOKEN');

if (process.argv.includes('--check')) {
  // Used by `npm test` and the image build: the page exists and the server module loads.
  fs.accessSync(page);
  console.log('ok');
  process.exit(0);
}

const json = (res, status, body) => {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
};

// A file the page reads; a missing file is an empty state with the command that makes it, not a crash.
const serveFile = (res, file, missing) => fs.readFile(file, (err, data) => {
  if (err) return json(res, 404, { error: missing });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(data);
});

// GET-only pass-through to the worker's API; its errors become one JSON line the page shows.
const proxy = (req, res, url) => {
  if (!builderApi) return json(res, 503, { error: 'BUILDER_API is not set: start `slipway builder serve --http 127.0.0.1:8081` and set BUILDER_API=http://127.0.0.1:8081' });
  if (req.method !== 'GET') return json(res, 405, { error: 'the dashboard is read-only' });
  const headers = apiToken ? { Authorization: `Bearer ${apiToken}` } : {};
  const upstream = http.get(builderApi + url.pathname + url.search, { timeout: 5000, headers }, (up) => {
    res.writeHead(up.statusCode, { 'Content-Type': up.headers['content-type'] || 'application/json', 'Cache-Control': 'no-store' });
    up.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timed out after 5 s')));
  upstream.on('error', (err) => { if (!res.headersSent) json(res, 502, { error: `builder API at ${builderApi} unreachable: ${err.message}` }); });
};

// Constant-time comparison of a presented token with DASHBOARD_TOKEN (hashes first, so lengths do not leak).
const same = (given) => {
  const h = (t) => crypto.createHash('sha256').update(t || '').digest();
  return crypto.timingSafeEqual(h(given), h(dashboardToken));
};
const presented = (req, url) => {
  const auth = req.headers.authorization || '';
  if (auth.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  const cookie = (req.headers.cookie || '').split(';').map((c) => c.trim()).find((c) => c.startsWith('slipway_dashboard='));
  if (cookie) return decodeURIComponent(cookie.slice('slipway_dashboard='.length));
  return url.searchParams.get('token') || '';
};

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (dashboardToken && url.pathname !== '/healthz') {
    if (!same(presented(req, url))) return json(res, 401, { error: 'the dashboard needs its token: open /?token=TOKEN once, or send Authorization: Bearer TOKEN' });
    if (url.searchParams.has('token')) {
      // The token moves into an HttpOnly cookie and out of the address bar (and of history and referrers).
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `slipway_dashboard=${encodeURIComponent(dashboardToken)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search, 'Cache-Control': 'no-store',
      });
      return res.end();
    }
  }
  if (url.pathname === '/' || url.pathname === '/index.html') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    fs.createReadStream(page).pipe(res);
  } else if (url.pathname === '/images.json') {
    serveFile(res, report, `no report at ${report}: run ./build.sh PushImages and mount artifacts/ at /data (or set IMAGES_JSON)`);
  } else if (url.pathname === '/tags.json') {
    if (!tags) return json(res, 404, { error: 'TAGS_JSON is not set: write `./build.sh ListImages --json > tags.json` and set TAGS_JSON' });
    serveFile(res, tags, `no tag listing at ${tags}: run ./build.sh ListImages --json > ${tags}`);
  } else if (url.pathname.startsWith('/api/')) {
    proxy(req, res, url);
  } else if (url.pathname === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok\n');
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  }
});

if (!dashboardToken && !['127.0.0.1', '::1', 'localhost'].includes(host))
  console.warn(`warning: listening on ${host} without DASHBOARD_TOKEN: anyone who reaches it sees the builds`);
server.listen(port, host, () => console.log(`slipway dashboard on ${host}:${port}, builder API ${builderApi || '(not set)'}${apiToken ? ' (with token)' : ''}, report ${report}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// Serves the dashboard page and the pipeline report. No dependencies: node's http module only.
//   PORT         listen port (default 8080)
//   IMAGES_JSON  path of the report written by PushImages (default /data/images.json; mount artifacts/ at /data)
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const port = Number(process.env.PORT || 8080);
const report = process.env.IMAGES_JSON || '/data/images.json';
const page = path.join(__dirname, 'dist', 'index.html');

if (process.argv.includes('--check')) {
  // Used by `npm test` and the image build: the page exists and the server module loads.
  fs.accessSync(page);
  console.log('ok');
  process.exit(0);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/' || url.pathname === '/index.html') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    fs.createReadStream(page).pipe(res);
  } else if (url.pathname === '/images.json') {
    fs.readFile(report, (err, data) => {
      if (err) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: `no report at ${report}; run ./build.sh PushImages and mount artifacts/ at /data` }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(data);
    });
  } else if (url.pathname === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok\n');
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  }
});

server.listen(port, () => console.log(`slipway dashboard on :${port}, report ${report}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

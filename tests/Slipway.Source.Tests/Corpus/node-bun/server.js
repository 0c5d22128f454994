const http = require("http");
const ms = require("ms");
http.createServer((req, res) => res.end(`hello from node-bun, a day is ${ms("1d")} ms\n`)).listen(process.env.PORT, "0.0.0.0");

const http = require("http");
const greet = require("@corpus/greeting");
const ms = require("ms");
http.createServer((req, res) => res.end(`${greet("node-workspace")}, a day is ${ms("1d")} ms\n`)).listen(process.env.PORT, "0.0.0.0");

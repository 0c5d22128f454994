// Builds dist/index.html: the page, its script and its style in one file, stamped with the package version.
// Deterministic: no dates, no randomness, so the same sources give the same image layer.
'use strict';
const fs = require('fs');
const path = require('path');

const src = path.join(__dirname, 'src');
const dist = path.join(__dirname, 'dist');
const { version } = require('./package.json');

const read = (name) => fs.readFileSync(path.join(src, name), 'utf8');
const html = read('index.html')
  .replace('/*STYLE*/', () => read('style.css').trim())
  .replace('/*SCRIPT*/', () => read('app.js').trim())
  .replace(/__VERSION__/g, version);

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });
fs.writeFileSync(path.join(dist, 'index.html'), html);
console.log(`built dist/index.html (${Buffer.byteLength(html)} bytes, version ${version})`);

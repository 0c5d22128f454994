// GitLab publishes its CI schema (app/assets/javascripts/editor/schema/ci.json) in its own repository, which is
// not reachable here; the npm package gitlab-ci-local bundles a copy of it into dist/index.js as an object literal
// ($id "https://gitlab.com/.gitlab-ci.yml"). This cuts that literal out (brace matching outside strings),
// evaluates it as data, and writes it as JSON.
// Usage: node extract-gitlab-schema.mjs path/to/gitlab-ci-local/dist/index.js out.json
import { readFileSync, writeFileSync } from "node:fs";
import vm from "node:vm";

const [bundlePath, outPath] = process.argv.slice(2);
const text = readFileSync(bundlePath, "utf8");
const marker = '$id:"https://gitlab.com/.gitlab-ci.yml"';
const at = text.indexOf(marker);
if (at < 0) { console.error(`${bundlePath}: no GitLab CI schema (${marker}) in this bundle`); process.exit(1); }
const start = text.lastIndexOf("{", at);
let depth = 0, quote = null, end = -1;
for (let i = start; i < text.length; i++) {
  const c = text[i];
  if (quote) {
    if (c === "\\") i++;
    else if (c === quote) quote = null;
    continue;
  }
  if (c === '"' || c === "'" || c === "`") quote = c;
  else if (c === "{" || c === "[") depth++;
  else if (c === "}" || c === "]") { if (--depth === 0) { end = i + 1; break; } }
}
if (end < 0) { console.error(`${bundlePath}: the schema literal does not end`); process.exit(1); }
// A data literal only: evaluated in an empty context, no access to this process.
const schema = vm.runInNewContext("(" + text.slice(start, end) + ")", Object.create(null), { timeout: 5000 });
if (schema.$schema !== "http://json-schema.org/draft-07/schema#" || !schema.definitions?.job)
  { console.error(`${bundlePath}: the cut-out object is not GitLab's CI schema`); process.exit(1); }
writeFileSync(outPath, JSON.stringify(schema, null, 1));
console.log(`wrote ${outPath} (${Object.keys(schema.definitions).length} definitions)`);

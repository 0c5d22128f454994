// Validates generated CI files with the real parsers: GitHub's own workflow parser (@actions/workflow-parser,
// the one the Actions service and the VS Code extension use) and GitLab's published CI JSON schema (ajv).
// Usage: node validate-ci.mjs --github FILE... --gitlab FILE --schema ci.json
// Prints one line per problem ("FILE: message") and exits 1 when there is any.
import { readFileSync } from "node:fs";
import { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from "@actions/workflow-parser";
import Ajv from "ajv";
import YAML from "yaml";

const args = process.argv.slice(2);
const github = [], gitlab = [];
let schemaPath = null, mode = null;
for (const a of args) {
  if (a === "--github" || a === "--gitlab" || a === "--schema") { mode = a; continue; }
  if (mode === "--github") github.push(a);
  else if (mode === "--gitlab") gitlab.push(a);
  else if (mode === "--schema") schemaPath = a;
}
const problems = new Set();

for (const file of github) {
  const content = readFileSync(file, "utf8");
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const e of template.errors ?? []) problems.add(`${file}: ${e.Message}`);
  }
  for (const e of parsed.context.errors.getErrors()) problems.add(`${file}: ${e.message}`);
  if (!parsed.value) problems.add(`${file}: not a workflow`);
  console.log(`checked ${file} with @actions/workflow-parser`);
}

if (gitlab.length > 0) {
  const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  // GitLab's schema uses draft-07 keywords and a few formats ajv does not know; formats are not checked.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  for (const file of gitlab) {
    const doc = YAML.parseDocument(readFileSync(file, "utf8"));
    for (const e of doc.errors) problems.add(`${file}: YAML: ${e.message}`);
    if (!validate(doc.toJS())) for (const e of validate.errors) problems.add(`${file}: ${e.instancePath || "/"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`);
    console.log(`checked ${file} against ${schemaPath}`);
  }
}

for (const p of problems) console.log(`PROBLEM ${p}`);
process.exit(problems.size > 0 ? 1 : 0);

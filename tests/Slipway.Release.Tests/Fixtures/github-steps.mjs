// The steps of one job of a GitHub Actions workflow as a runner would execute them: `run:` scripts with their
// shell and their `env:` and `if:` evaluated by GitHub's own expression library (@actions/expressions, pinned in
// tools/npm), against the contexts given as JSON. `uses:` steps are listed as skipped (actions are not run here).
// Usage: node github-steps.mjs WORKFLOW JOB CONTEXTS.json  → JSON [{name, uses?, run?, shell?, env?, skip?}]
import { readFileSync } from "node:fs";
import YAML from "yaml";
import { Lexer, Parser, Evaluator, data } from "@actions/expressions";
import { truthy } from "@actions/expressions/result";

const [file, jobName, contextsFile] = process.argv.slice(2);
const workflow = YAML.parse(readFileSync(file, "utf8"));
const contexts = JSON.parse(readFileSync(contextsFile, "utf8"));
const names = Object.keys(contexts);
const context = JSON.parse(JSON.stringify(contexts), data.reviver);

// The status functions of a job whose earlier steps all succeeded (a failing step stops the run here).
const status = (name, value) => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) });
const functions = [status("success", true), status("failure", false), status("cancelled", false), status("always", true)];
const byName = new Map(functions.map((f) => [f.name.toLowerCase(), f]));
function evaluate(expression) {
  const lexed = new Lexer(expression).lex();
  const expr = new Parser(lexed.tokens, names, functions).parse();
  return new Evaluator(expr, context, byName).evaluate();
}
// "${{ x }}" inside a string: each replaced by its value as a string, as the runner does.
const substitute = (text) => String(text).replace(/\$\{\{(.*?)\}\}/gs, (_, e) => evaluate(e.trim()).coerceString());
const condition = (text) => {
  if (text === undefined) return true;
  const e = String(text).trim().replace(/^\$\{\{(.*)\}\}$/s, "$1");
  return truthy(evaluate(e));
};

const job = workflow.jobs[jobName];
if (!job) throw new Error(`no job ${jobName} in ${file}`);
const steps = job.steps.map((step) => {
  const name = substitute(step.name ?? step.uses ?? step.run.split("\n")[0]);
  if (!condition(step.if)) return { name, skip: "if: false" };
  if (step.uses) return { name, uses: step.uses };
  const env = Object.fromEntries(Object.entries({ ...(workflow.env ?? {}), ...(job.env ?? {}), ...(step.env ?? {}) }).map(([k, v]) => [k, substitute(v)]));
  return { name, id: step.id, run: substitute(step.run), shell: step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell ?? null, env };
});
console.log(JSON.stringify({ if: job.if === undefined ? true : condition(job.if), steps }));

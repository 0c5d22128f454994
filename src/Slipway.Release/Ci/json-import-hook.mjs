// Node 20 refuses `import x from "./file.json"` without `with { type: "json" }`, which
// @actions/workflow-parser's ESM build omits; this hook adds the attribute to .json imports.
import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(`
export async function load(url, context, next) {
  if (url.endsWith(".json")) return next(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
  return next(url, context);
}`));

// Validates Kubernetes objects (one JSON file each) against the API's OpenAPI schemas as packaged by the npm
// package kubernetes-models (ajv). Prints one line per object; exit code 1 when any is invalid.
import { readFileSync } from "node:fs";
import { Job } from "kubernetes-models/batch/v1/Job";
import { Secret } from "kubernetes-models/v1/Secret";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";

const models = { "batch/v1 Job": Job, "v1 Secret": Secret, "networking.k8s.io/v1 NetworkPolicy": NetworkPolicy };
let invalid = 0;
for (const file of process.argv.slice(2)) {
  const object = JSON.parse(readFileSync(file, "utf8"));
  const Model = models[`${object.apiVersion} ${object.kind}`];
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  if (!Model) { console.log(`invalid ${name}: no schema here for this kind`); invalid++; continue; }
  try { new Model(object).validate(); console.log(`valid ${name}`); }
  catch (e) { console.log(`invalid ${name}: ${e.message}`); invalid++; }
}
process.exit(invalid ? 1 : 0);

// Validates every document of the Kubernetes manifests in a directory against the API's schemas
// (kubernetes-models, generated from the Kubernetes OpenAPI): one line per document, exit 1 when
// any is invalid or of a kind it cannot check. Usage: node validate-k8s.mjs <dir>
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const dir = process.argv[2];
let failed = 0;
let checked = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
    if (doc.errors.length) {
      console.log(`FAIL ${file}: ${doc.errors[0].message}`);
      failed++;
      continue;
    }
    const obj = doc.toJS();
    if (obj === null) continue;
    const { apiVersion, kind } = obj;
    const where = `${file} ${kind}/${obj.metadata?.name ?? "?"}`;
    if (kind === "Kustomization") {
      console.log(`skip ${where} (kustomize's own file, not an API object)`);
      continue;
    }
    let model;
    try {
      model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
    } catch {
      console.log(`FAIL ${where}: no schema for ${apiVersion} ${kind}`);
      failed++;
      continue;
    }
    try {
      new model(obj).validate();
      console.log(`ok   ${where} (${apiVersion})`);
      checked++;
    } catch (e) {
      console.log(`FAIL ${where}: ${e.message.split("\n").slice(0, 5).join(" ")}`);
      failed++;
    }
  }
}
console.log(`${checked} valid, ${failed} invalid`);
process.exit(failed || checked === 0 ? 1 : 0);

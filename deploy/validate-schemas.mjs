// Validates the deployment files against their JSON schemas (run by deploy/check):
//   compose/*.yaml     the Compose Specification schema (as shipped by dclint), with ajv
//   kubernetes/*.yaml  each document against its apiVersion and kind, with kubernetes-models
//                      (ajv validators built from the Kubernetes OpenAPI schemas); those allow
//                      any extra field, so each document is also type-checked by TypeScript
//                      against kubernetes-types, whose excess-property check names a misspelt key
// Prints one line per file and exits 1 when one is invalid.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import ts from "typescript";
import addFormats from "ajv-formats";
import { parseAllDocuments } from "yaml";

const deploy = dirname(fileURLToPath(import.meta.url));
let failures = 0;

function report(file, errors) {
  const name = relative(deploy, file);
  if (errors.length === 0) {
    console.log(`ok       ${name}`);
    return;
  }
  failures++;
  console.log(`INVALID  ${name}`);
  for (const error of errors) {
    console.log(`         ${error}`);
  }
}

function yamlFiles(folder) {
  return readdirSync(join(deploy, folder))
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort()
    .map((name) => join(deploy, folder, name));
}

function documents(file) {
  const parsed = parseAllDocuments(readFileSync(file, "utf8"), { merge: true });
  const errors = parsed.flatMap((doc) => doc.errors.map((error) => error.message));
  return { errors, values: errors.length ? [] : parsed.map((doc) => doc.toJS()).filter((value) => value != null) };
}

// Compose: the schema's own additionalProperties rules catch misspelt keys.
// The package exports no path to its schema: found beside its package.json in node_modules.
const composeSchemaFile = join(deploy, "node_modules", "dclint", "schemas", "compose.schema.json");
// Its $schema spells draft-07 with https, which ajv does not know by that name; draft-07 is ajv's own.
const { $schema: _draft07, ...composeSchema } = JSON.parse(readFileSync(composeSchemaFile, "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateCompose = ajv.compile(composeSchema);
for (const file of yamlFiles("compose")) {
  const { errors, values } = documents(file);
  for (const value of values) {
    if (!validateCompose(value)) {
      errors.push(...validateCompose.errors.map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`));
    }
  }
  report(file, errors);
}

// Kubernetes: kubernetes-models/<group>/<version>/<Kind>, "v1" for the core group.
for (const file of yamlFiles("kubernetes")) {
  const { errors, values } = documents(file);
  for (const value of values) {
    const where = `${value.kind ?? "?"} ${value.metadata?.name ?? "?"}`;
    if (typeof value.apiVersion !== "string" || typeof value.kind !== "string") {
      errors.push(`${where}: no apiVersion or kind`);
      continue;
    }
    let Model;
    try {
      Model = (await import(`kubernetes-models/${value.apiVersion}/${value.kind}`))[value.kind];
    } catch {
      errors.push(`${where}: no schema for ${value.apiVersion} ${value.kind}`);
      continue;
    }
    try {
      new Model(value).validate();
    } catch (error) {
      errors.push(`${where}: ${error.message}`);
    }
    errors.push(...unknownFields(value).map((message) => `${where}: ${message}`));
  }
  report(file, errors);
}

/** Fields the document's kubernetes-types type does not have, as TypeScript names them. */
function unknownFields(value) {
  const [group, version] = value.apiVersion.includes("/") ? value.apiVersion.split("/") : ["core", value.apiVersion];
  const source = `import type { ${value.kind} } from "kubernetes-types/${group}/${version}";\n`
    + `export const manifest: ${value.kind} = ${JSON.stringify(value, null, 1)};\n`;
  const file = join(deploy, "manifest-check.ts");
  const options = { noEmit: true, strict: true, skipLibCheck: true, types: [], moduleResolution: ts.ModuleResolutionKind.Node10 };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  // The document is compiled from memory: nothing is written next to the deployment files.
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.fileExists = ((exists) => (name) => name === file || exists(name))(host.fileExists.bind(host));
  host.getSourceFile = (name, languageVersion) => name === file
    ? ts.createSourceFile(name, source, languageVersion) : getSourceFile(name, languageVersion);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, " "));
}

process.exit(failures ? 1 : 0);

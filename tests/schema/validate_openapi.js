#!/usr/bin/env node
// Validates JSON files against a schema inside an OpenAPI document (the
// bundled /openapi.json dossierd serves, whose components.schemas embed the
// JSON Schemas of schemas/), with Ajv (Debian's node-ajv, draft-07).
// Usage: validate_openapi.js OPENAPI.json COMPONENT DATA.json...   Exit 0 when all are valid.
'use strict';
const fs = require('fs');
process.env.NODE_PATH = ['/usr/share/nodejs', '/usr/lib/nodejs', process.env.NODE_PATH || ''].join(':');
require('module').Module._initPaths();
const Ajv = require('ajv');

const [openapiFile, component, ...dataFiles] = process.argv.slice(2);
if (!openapiFile || !component || dataFiles.length === 0) {
  console.error('usage: validate_openapi.js OPENAPI.json COMPONENT DATA.json...');
  process.exit(2);
}
const doc = JSON.parse(fs.readFileSync(openapiFile, 'utf8'));
if (!doc.components || !doc.components.schemas || !doc.components.schemas[component]) {
  console.error(`no components.schemas.${component} in ${openapiFile}`);
  process.exit(2);
}
// The whole document is the schema root so "#/components/schemas/..." references resolve.
const ajv = new Ajv({allErrors: true, schemaId: 'auto'});
ajv.addSchema({...doc, $id: 'openapi.json'}, 'openapi.json');
const validate = ajv.getSchema(`openapi.json#/components/schemas/${component}`);
if (!validate) { console.error(`cannot compile components.schemas.${component}`); process.exit(2); }
let failed = 0;
for (const file of dataFiles) {
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (validate(data)) {
    console.log(`valid: ${file} against ${component}`);
  } else {
    failed++;
    console.error(`INVALID: ${file} against ${component}:\n${JSON.stringify(validate.errors, null, 2)}`);
  }
}
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// Validates JSON files against a schema in schemas/ with Ajv (Debian's node-ajv).
// Usage: validate.js SCHEMA_DIR SCHEMA_FILE DATA.json...   Exit 0 when all are valid.
'use strict';
const fs = require('fs');
const path = require('path');
// Debian installs node modules under /usr/share/nodejs and /usr/lib/nodejs;
// a node from elsewhere does not search there by default.
process.env.NODE_PATH = ['/usr/share/nodejs', '/usr/lib/nodejs', process.env.NODE_PATH || ''].join(':');
require('module').Module._initPaths();
const Ajv = require('ajv');

const [schemaDir, schemaFile, ...dataFiles] = process.argv.slice(2);
if (!schemaDir || !schemaFile || dataFiles.length === 0) {
  console.error('usage: validate.js SCHEMA_DIR SCHEMA_FILE DATA.json...');
  process.exit(2);
}
const ajv = new Ajv({allErrors: true});
for (const name of fs.readdirSync(schemaDir).filter((n) => n.endsWith('.schema.json')).sort()) {
  const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, name), 'utf8'));
  ajv.addSchema(schema, name);
}
const validate = ajv.getSchema(schemaFile);
if (!validate) { console.error(`no schema ${schemaFile} in ${schemaDir}`); process.exit(2); }
let failed = 0;
for (const file of dataFiles) {
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (validate(data)) {
    console.log(`valid: ${file} against ${schemaFile}`);
  } else {
    failed++;
    console.error(`INVALID: ${file} against ${schemaFile}:\n${JSON.stringify(validate.errors, null, 2)}`);
  }
}
process.exit(failed ? 1 : 0);

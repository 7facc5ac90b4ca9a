#!/usr/bin/env node
// Validates HAR files against the HAR 1.2 JSON Schema of the har-schema
// package, with Ajv (draft-06 meta-schema, formats from ajv-formats).
//
//   node tools/har/validate_har.js FILE.har...
//
// Prints "FILE: valid" or each schema error with its JSON path; exits 1 if any
// file is invalid or unreadable.
'use strict';

const fs = require('fs');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const draft6 = require('ajv/dist/refs/json-schema-draft-06.json');
const schemas = require('har-schema');

// har-schema uses a "min" keyword that JSON Schema does not have, so strict
// mode stays off; everything the schema states is still checked.
const ajv = new Ajv({allErrors: true, strict: false});
ajv.addMetaSchema(draft6);
addFormats(ajv);
for (const schema of Object.values(schemas)) {
  ajv.addSchema(schema);
}
const validate = ajv.getSchema('har.json#');

let failed = false;
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: validate_har.js FILE.har...');
  process.exit(2);
}
for (const file of files) {
  let har;
  try {
    har = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(file + ': cannot read: ' + error.message);
    failed = true;
    continue;
  }
  if (validate(har)) {
    console.log(file + ': valid');
    continue;
  }
  failed = true;
  for (const error of validate.errors) {
    console.log(file + ': ' + (error.instancePath || '/') + ' ' + error.message);
  }
}
process.exit(failed ? 1 : 0);

// Every data file under data/ matches its JSON Schema (draft 2020-12), so the
// schemas course authors read and the files the engine and pages load cannot
// drift apart. A file names its schema in "$schema"; files that cannot (JSON
// arrays) are mapped below. Schemas are checked by ajv in strict mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const DATA = fileURLToPath(new URL('../../data/', import.meta.url));
const SCHEMAS = join(DATA, 'schema');
/** Data files that are arrays and so cannot carry "$schema". */
const BY_PATH = [[/^dialogue\/labelled\/[^/]+\.json$/, 'dialogue-labelled.schema.json']];

function jsonFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === SCHEMAS ? [] : jsonFiles(path);
    return e.name.endsWith('.json') ? [path] : [];
  });
}

// Strict, except that a subschema under allOf may add properties without restating its type.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
const schemaFiles = readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json'));
for (const f of schemaFiles) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')), f);

test('every schema compiles in strict mode', () => {
  for (const f of schemaFiles) assert.ok(ajv.getSchema(f), `${f} does not compile`);
});

test('every data file matches its schema, and every schema is used', () => {
  const used = new Set();
  const files = jsonFiles(DATA);
  assert.ok(files.length >= 20, `only ${files.length} data files found`);
  for (const file of files) {
    const rel = relative(DATA, file).split('\\').join('/');
    const value = JSON.parse(readFileSync(file, 'utf8'));
    const named = value && !Array.isArray(value) && typeof value.$schema === 'string' ? basename(value.$schema) : null;
    const schema = named ?? BY_PATH.find(([re]) => re.test(rel))?.[1];
    assert.ok(schema, `${rel} names no schema`);
    const validate = ajv.getSchema(schema);
    assert.ok(validate, `${rel}: unknown schema ${schema}`);
    used.add(schema);
    const ok = validate(value);
    assert.ok(ok, `${rel} does not match ${schema}:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  }
  // A schema no file uses is either for input (a transcript, a teacher's bank) or stale.
  const inputOnly = new Set(['dialogue-transcript.schema.json']);
  for (const f of schemaFiles) assert.ok(used.has(f) || inputOnly.has(f), `${f} is used by no data file`);
});

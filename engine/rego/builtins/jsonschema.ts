// json.verify_schema and json.match_schema, after OPA's v1/topdown/jsonschema.go.
//
// OPA validates with (its fork of) gojsonschema; this is a compact validator for drafts 4-7 with
// gojsonschema's error types, fields and messages: type, enum, const, properties, required,
// additionalProperties, patternProperties, property counts, propertyNames, dependencies, items,
// additionalItems, item counts, uniqueItems, contains, string lengths, pattern, a few formats,
// numeric bounds, multipleOf, allOf/anyOf/oneOf/not, if/then/else, local $ref and definitions.

import { toJS } from '../json.ts';
import { ObjectValue, type Value } from '../value.ts';
import { builtinError, t, type Builtin } from './registry.ts';

type JSON = null | boolean | number | string | JSON[] | { [k: string]: JSON };

const PRIMITIVE_TYPES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string'];

class SchemaError extends Error {}

/** The JS document for a Rego operand: a JSON string is parsed, objects/arrays converted. */
function load(v: Value): JSON {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as JSON;
    } catch {
      throw new SchemaError('invalid JSON string');
    }
  }
  if (v instanceof ObjectValue || Array.isArray(v)) return toJS(v) as JSON;
  throw new SchemaError('wrong type, expected string or object');
}

const isObj = (x: JSON | undefined): x is { [k: string]: JSON } => x !== null && typeof x === 'object' && !Array.isArray(x);

// ---- schema checks (gojsonschema's parse errors) ----

function checkSchema(s: JSON, path: string): void {
  if (typeof s === 'boolean') return;
  if (!isObj(s)) throw new SchemaError(`Invalid type. Expected: object, given: ${jsonType(s)}`);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!Array.isArray(s.type) && typeof s.type !== 'string') throw new SchemaError('type must be of type string/array of strings');
    for (const tp of types) {
      if (typeof tp !== 'string' || !PRIMITIVE_TYPES.includes(tp)) {
        throw new SchemaError(`has a primitive type that is NOT VALID -- given: /${typeof tp === 'string' ? tp : JSON.stringify(tp)}/ Expected valid values are:[${PRIMITIVE_TYPES.join(' ')}]`);
      }
    }
  }
  for (const k of ['properties', 'patternProperties', 'definitions', '$defs']) {
    if (s[k] === undefined) continue;
    const m = s[k];
    if (!isObj(m)) throw new SchemaError(`${k} must be of type object`);
    for (const key of Object.keys(m).sort()) checkSchema(m[key], `${path}/${k}/${key}`);
  }
  if (s.required !== undefined && (!Array.isArray(s.required) || s.required.some((x) => typeof x !== 'string'))) {
    throw new SchemaError('required must be of type array of strings');
  }
  if (s.pattern !== undefined) {
    if (typeof s.pattern !== 'string') throw new SchemaError('pattern must be of type string');
    try {
      new RegExp(s.pattern, 'u');
    } catch {
      throw new SchemaError(`Invalid regex pattern '${s.pattern}'`);
    }
  }
  if (s.enum !== undefined && (!Array.isArray(s.enum) || s.enum.length === 0)) throw new SchemaError('enum must be of type array');
  for (const k of ['additionalProperties', 'additionalItems', 'not', 'contains', 'propertyNames', 'if', 'then', 'else']) {
    if (s[k] !== undefined && typeof s[k] !== 'boolean') checkSchema(s[k], `${path}/${k}`);
  }
  if (s.items !== undefined) {
    if (Array.isArray(s.items)) s.items.forEach((x, i) => checkSchema(x, `${path}/items/${i}`));
    else checkSchema(s.items, `${path}/items`);
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    if (s[k] === undefined) continue;
    const a = s[k];
    if (!Array.isArray(a) || a.length === 0) throw new SchemaError(`${k} must be of type array`);
    a.forEach((x, i) => checkSchema(x, `${path}/${k}/${i}`));
  }
  for (const k of ['minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties']) {
    if (s[k] !== undefined && typeof s[k] !== 'number') throw new SchemaError(`${k} must be of type number`);
  }
  if (typeof s.multipleOf === 'number' && s.multipleOf <= 0) throw new SchemaError('multipleOf must be strictly greater than 0');
  if (typeof s.$ref === 'string' && !s.$ref.startsWith('#')) throw new SchemaError(`Unable to load remote reference ${s.$ref}`);
}

// ---- validation ----

interface ResultError {
  type: string;
  field: string;
  desc: string;
}

function jsonType(x: JSON): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'number') return Number.isInteger(x) ? 'integer' : 'number';
  return typeof x;
}

function fieldOf(ctx: string[]): string {
  return ctx.length === 0 ? '(root)' : ctx.join('.');
}

function fmtNum(n: number): string {
  return String(n);
}

function deepEqual(a: JSON, b: JSON): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

const FORMATS: Record<string, (s: string) => boolean> = {
  email: (s) => /^[^@\s]+@[^@\s]+$/.test(s),
  ipv4: (s) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s),
  ipv6: (s) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s),
  'date-time': (s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d\d-\d\d$/.test(s) && !Number.isNaN(Date.parse(s)),
  time: (s) => /^\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)?$/.test(s),
  uri: (s) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s),
  uuid: (s) => /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s),
  regex: (s) => {
    try {
      new RegExp(s, 'u');
      return true;
    } catch {
      return false;
    }
  },
};

class Validator {
  constructor(private readonly root: JSON) {}

  resolve(ref: string): JSON {
    if (ref === '#') return this.root;
    if (!ref.startsWith('#/')) throw new SchemaError(`Unable to load remote reference ${ref}`);
    let cur: JSON | undefined = this.root;
    for (const raw of ref.slice(2).split('/')) {
      const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(cur)) cur = cur[Number(seg)];
      else if (isObj(cur)) cur = cur[seg];
      else cur = undefined;
      if (cur === undefined) throw new SchemaError(`Object has no key '${seg}'`);
    }
    return cur;
  }

  validate(s: JSON, doc: JSON, ctx: string[], errs: ResultError[]): void {
    const add = (type: string, desc: string, c = ctx): void => {
      errs.push({ type, field: fieldOf(c), desc });
    };
    if (s === true) return;
    if (s === false) {
      add('false', 'False always fails validation');
      return;
    }
    if (!isObj(s)) return;
    if (typeof s.$ref === 'string') {
      this.validate(this.resolve(s.$ref), doc, ctx, errs);
      return;
    }
    // type
    if (s.type !== undefined) {
      const types = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
      const given = jsonType(doc);
      const ok = types.includes(given) || (given === 'integer' && types.includes('number'));
      if (!ok) {
        const expected = types.length === 1 ? types[0] : `[${types.join(',')}]`;
        add('invalid_type', `Invalid type. Expected: ${expected}, given: ${given}`);
        return;
      }
    }
    // schema combinators
    if (Array.isArray(s.anyOf)) {
      if (!s.anyOf.some((sub) => this.ok(sub, doc, ctx))) add('number_any_of', 'Must validate at least one schema (anyOf)');
    }
    if (Array.isArray(s.oneOf)) {
      const n = s.oneOf.filter((sub) => this.ok(sub, doc, ctx)).length;
      if (n !== 1) add('number_one_of', 'Must validate one and only one schema (oneOf)');
    }
    if (Array.isArray(s.allOf)) {
      const before = errs.length;
      for (const sub of s.allOf) this.validate(sub, doc, ctx, errs);
      if (errs.length > before) add('number_all_of', 'Must validate all the schemas (allOf)');
    }
    if (s.not !== undefined && this.ok(s.not, doc, ctx)) add('number_not', 'Must not validate the schema (not)');
    if (isObj(s.dependencies) && isObj(doc)) {
      for (const k of Object.keys(s.dependencies).sort()) {
        if (!(k in doc)) continue;
        const dep = s.dependencies[k];
        if (Array.isArray(dep)) {
          for (const d of dep) if (typeof d === 'string' && !(d in doc)) add('missing_dependency', `Has a dependency on ${d}`);
        } else this.validate(dep, doc, ctx, errs);
      }
    }
    if (s.if !== undefined) {
      if (this.ok(s.if, doc, ctx)) {
        if (s.then !== undefined && !this.ok(s.then, doc, ctx)) {
          this.validate(s.then, doc, ctx, errs);
          add('condition_then', 'Must validate "then" as "if" was valid');
        }
      } else if (s.else !== undefined && !this.ok(s.else, doc, ctx)) {
        this.validate(s.else, doc, ctx, errs);
        add('condition_else', 'Must validate "else" as "if" was not valid');
      }
    }
    // common
    const field = fieldOf(ctx);
    if (s.const !== undefined && !deepEqual(s.const, doc)) add('const', `${field} does not match: ${JSON.stringify(s.const)}`);
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, doc))) {
      add('enum', `${field} must be one of the following: ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
    }
    if (Array.isArray(doc)) this.validateArray(s, doc, ctx, errs, add);
    else if (isObj(doc)) this.validateObject(s, doc, ctx, errs, add);
    else if (typeof doc === 'string') this.validateString(s, doc, add);
    else if (typeof doc === 'number') this.validateNumber(s, doc, add);
  }

  ok(s: JSON, doc: JSON, ctx: string[]): boolean {
    const errs: ResultError[] = [];
    this.validate(s, doc, ctx, errs);
    return errs.length === 0;
  }

  validateArray(s: { [k: string]: JSON }, doc: JSON[], ctx: string[], errs: ResultError[], add: (t: string, d: string) => void): void {
    if (Array.isArray(s.items)) {
      s.items.forEach((sub, i) => {
        if (i < doc.length) this.validate(sub, doc[i], [...ctx, String(i)], errs);
      });
      if (doc.length > s.items.length) {
        if (s.additionalItems === false) add('array_no_additional_items', 'No additional items allowed on array');
        else if (isObj(s.additionalItems)) for (let i = s.items.length; i < doc.length; i++) this.validate(s.additionalItems, doc[i], [...ctx, String(i)], errs);
      }
    } else if (s.items !== undefined) {
      doc.forEach((x, i) => this.validate(s.items, x, [...ctx, String(i)], errs));
    }
    if (typeof s.minItems === 'number' && doc.length < s.minItems) add('array_min_items', `Array must have at least ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && doc.length > s.maxItems) add('array_max_items', `Array must have at most ${s.maxItems} items`);
    if (s.uniqueItems === true) {
      outer: for (let i = 0; i < doc.length; i++) {
        for (let j = i + 1; j < doc.length; j++) {
          if (deepEqual(doc[i], doc[j])) {
            add('unique', `array items[${i},${j}] must be unique`);
            break outer;
          }
        }
      }
    }
    if (s.contains !== undefined && !doc.some((x, i) => this.ok(s.contains, x, [...ctx, String(i)]))) add('contains', 'At least one of the items must match');
  }

  validateObject(s: { [k: string]: JSON }, doc: { [k: string]: JSON }, ctx: string[], errs: ResultError[], add: (t: string, d: string) => void): void {
    const keys = Object.keys(doc);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) add('array_min_properties', `Must have at least ${s.minProperties} properties`);
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) add('array_max_properties', `Must have at most ${s.maxProperties} properties`);
    if (Array.isArray(s.required)) {
      for (const r of s.required) if (typeof r === 'string' && !(r in doc)) add('required', `${r} is required`);
    }
    const props = isObj(s.properties) ? s.properties : {};
    const patterns = isObj(s.patternProperties) ? s.patternProperties : {};
    for (const k of keys.sort()) {
      let matched = k in props;
      for (const p of Object.keys(patterns)) {
        if (new RegExp(p, 'u').test(k)) {
          matched = true;
          this.validate(patterns[p], doc[k], [...ctx, k], errs);
        }
      }
      if (!matched && s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) add('additional_property_not_allowed', `Additional property ${k} is not allowed`);
        else if (isObj(s.additionalProperties)) this.validate(s.additionalProperties, doc[k], [...ctx, k], errs);
      }
    }
    for (const k of Object.keys(props).sort()) {
      if (k in doc) this.validate(props[k], doc[k], [...ctx, k], errs);
    }
    if (s.propertyNames !== undefined) {
      for (const k of keys) {
        if (!this.ok(s.propertyNames, k, ctx)) add('invalid_property_name', `Property name of "${k}" does not match`);
      }
    }
  }

  validateString(s: { [k: string]: JSON }, doc: string, add: (t: string, d: string) => void): void {
    const len = [...doc].length;
    if (typeof s.minLength === 'number' && len < s.minLength) add('string_gte', `String length must be greater than or equal to ${s.minLength}`);
    if (typeof s.maxLength === 'number' && len > s.maxLength) add('string_lte', `String length must be less than or equal to ${s.maxLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(doc)) add('pattern', `Does not match pattern '${s.pattern}'`);
    if (typeof s.format === 'string' && FORMATS[s.format] && !FORMATS[s.format](doc)) add('format', `Does not match format '${s.format}'`);
  }

  validateNumber(s: { [k: string]: JSON }, doc: number, add: (t: string, d: string) => void): void {
    if (typeof s.multipleOf === 'number') {
      const q = doc / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) add('multiple_of', `Must be a multiple of ${fmtNum(s.multipleOf)}`);
    }
    if (typeof s.maximum === 'number') {
      if (s.exclusiveMaximum === true ? doc >= s.maximum : doc > s.maximum) {
        if (s.exclusiveMaximum === true) add('number_lt', `Must be less than ${fmtNum(s.maximum)}`);
        else add('number_lte', `Must be less than or equal to ${fmtNum(s.maximum)}`);
      }
    }
    if (typeof s.exclusiveMaximum === 'number' && doc >= s.exclusiveMaximum) add('number_lt', `Must be less than ${fmtNum(s.exclusiveMaximum)}`);
    if (typeof s.minimum === 'number') {
      if (s.exclusiveMinimum === true ? doc <= s.minimum : doc < s.minimum) {
        if (s.exclusiveMinimum === true) add('number_gt', `Must be greater than ${fmtNum(s.minimum)}`);
        else add('number_gte', `Must be greater than or equal to ${fmtNum(s.minimum)}`);
      }
    }
    if (typeof s.exclusiveMinimum === 'number' && doc <= s.exclusiveMinimum) add('number_gt', `Must be greater than ${fmtNum(s.exclusiveMinimum)}`);
  }
}

function compile(v: Value): JSON {
  const schema = load(v);
  checkSchema(schema, '#');
  return schema;
}

export const builtins: Builtin[] = [
  {
    name: 'json.verify_schema',
    args: [t.anyOf(t.string, t.objectOf(t.any, t.any))],
    result: t.tuple(t.boolean, t.anyOf(t.null, t.string)),
    description: 'Checks that the input is a valid JSON schema object. The schema can be either a JSON string or an JSON object.',
    fn: ([x]) => {
      try {
        compile(x);
      } catch (e) {
        if (e instanceof SchemaError) return [false, 'jsonschema: ' + e.message];
        throw e;
      }
      return [true, null];
    },
  },
  {
    name: 'json.match_schema',
    args: [t.anyOf(t.string, t.objectOf(t.any, t.any)), t.anyOf(t.string, t.objectOf(t.any, t.any))],
    result: t.tuple(t.boolean, t.arrayOf(t.objectOf(t.string, t.any))),
    description: 'Checks that the document matches the JSON schema.',
    fn: ([doc, schema]) => {
      const name = 'json.match_schema';
      try {
        const d = load(doc);
        const s = compile(schema);
        const errs: ResultError[] = [];
        new Validator(s).validate(s, d, [], errs);
        const out = errs.map((e) => ObjectValue.fromRecord({ error: `${e.field}: ${e.desc}`, type: e.type, field: e.field, desc: e.desc }));
        return [errs.length === 0, out];
      } catch (e) {
        if (e instanceof SchemaError) throw builtinError(name, e.message);
        throw e;
      }
    },
  },
];

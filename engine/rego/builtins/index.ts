// The built-in library: every module's built-ins in one registry.

import type { Builtin } from './registry.ts';
import { builtins as internal } from './internal.ts';
import { builtins as core } from './core.ts';
import { builtins as aggregates } from './aggregates.ts';
import { builtins as arrays } from './arrays.ts';
import { builtins as bits } from './bits.ts';
import { builtins as casts } from './casts.ts';
import { builtins as crypto } from './crypto.ts';
import { builtins as encoding } from './encoding.ts';
import { builtins as glob } from './glob.ts';
import { builtins as jsonpatch } from './jsonpatch.ts';
import { builtins as net } from './net.ts';
import { builtins as numbers } from './numbers.ts';
import { builtins as objects } from './objects.ts';
import { builtins as regex } from './regex.ts';
import { builtins as semver } from './semver.ts';
import { builtins as sets } from './sets.ts';
import { builtins as sprintf } from './sprintf.ts';
import { builtins as strings } from './strings.ts';
import { builtins as time } from './time.ts';
import { builtins as types } from './types.ts';
import { builtins as units } from './units.ts';
import { builtins as uuid } from './uuid.ts';
import { builtins as walk } from './walk.ts';
import { builtins as jwt } from './jwt.ts';
import { builtins as x509 } from './x509.ts';
import { builtins as graph } from './graph.ts';
import { builtins as jsonschema } from './jsonschema.ts';
import { builtins as template } from './template.ts';
import { builtins as regoparse } from './regoparse.ts';
import { builtins as aws } from './aws.ts';
import { builtins as graphql } from './graphql.ts';

const all: Builtin[][] = [
  internal, core, aggregates, arrays, bits, casts, crypto, encoding, glob, jsonpatch, net, numbers, objects, regex, semver, sets,
  sprintf, strings, time, types, units, uuid, walk,
];
all.push(jwt);
all.push(x509);
all.push(graph);
all.push(jsonschema);
all.push(template);
all.push(regoparse);
all.push(aws);
all.push(graphql);

export function defaultBuiltins(): Map<string, Builtin> {
  const m = new Map<string, Builtin>();
  for (const group of all) for (const b of group) m.set(b.name, b);
  return m;
}

export type { Builtin };

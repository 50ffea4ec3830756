import { describe, expect, it } from 'vitest';
import { capabilities, run } from './capabilities.ts';

describe('bligate rego capabilities', () => {
  it('lists the built-ins the policies need, with OPA declarations', () => {
    const caps = capabilities() as { builtins: { name: string; decl: { type: string; args: unknown[] } }[] };
    const names = new Set(caps.builtins.map((b) => b.name));
    for (const n of ['count', 'sprintf', 'time.parse_rfc3339_ns', 'time.date', 'time.add_date', 'net.cidr_contains', 'rego.metadata.chain', 'glob.match', 'semver.compare', 'units.parse_bytes', 'uuid.rfc4122', 'crypto.hmac.sha256']) {
      expect(names.has(n), n).toBe(true);
    }
    const count = caps.builtins.find((b) => b.name === 'count')!;
    expect(count.decl.type).toBe('function');
    expect(count.decl.args).toHaveLength(1);
  });

  it('prints JSON and a pretty list, and rejects unknown formats', async () => {
    let out = '';
    let err = '';
    const io = { stdout: (s: string) => void (out += s), stderr: (s: string) => void (err += s) };
    expect(await run([], io)).toBe(0);
    expect(JSON.parse(out).builtins.length).toBeGreaterThan(150);
    out = '';
    expect(await run(['--format', 'pretty'], io)).toBe(0);
    expect(out).toMatch(/^count\/1$/m);
    expect(await run(['--format', 'xml'], io)).toBe(2);
    expect(err).toMatch(/unknown format/);
  });
});

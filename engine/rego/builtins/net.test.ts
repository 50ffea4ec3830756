import { describe, expect, it } from 'vitest';
import { ObjectValue, SetValue, type Value } from '../value.ts';
import { builtins, formatAddr, parseIP } from './net.ts';
import { builtinCaller } from './testutil.ts';

const { call, err } = builtinCaller(builtins);
const set = (...xs: Value[]): SetValue => SetValue.from(xs);

describe('net.cidr_contains / intersects', () => {
  it('contains', () => {
    expect(call('net.cidr_contains', '10.0.0.0/8', '10.1.0.0/24')).toBe(true);
    expect(call('net.cidr_contains', '172.17.0.0/24', '172.17.0.0/16')).toBe(false);
    expect(call('net.cidr_contains', '10.0.0.0/8', '192.168.1.0/24')).toBe(false);
    expect(call('net.cidr_contains', '10.0.0.0/8', '10.1.1.1/32')).toBe(true);
    expect(call('net.cidr_contains', '2001:4860:4860::8888/32', '2001:4860:4860:1234::8888/40')).toBe(true);
    expect(call('net.cidr_contains', '2001:4860:4860::8888/32', '2001:4860:4860:1234:5678:1234:5678:8888/128')).toBe(true);
    expect(call('net.cidr_contains', '2001:4860::/96', '2001:4860::/32')).toBe(false);
    expect(call('net.cidr_contains', '2001:4860::/32', 'fd1e:5bfe:8af3:9ddc::/64')).toBe(false);
    expect(call('net.cidr_contains', '10.0.0.0/8', '10.1.2.3')).toBe(true);
    expect(call('net.cidr_contains', '10.0.0.0/8', '192.168.1.1')).toBe(false);
    expect(call('net.cidr_contains', '10.0.0.0/8', '::ffff:10.1.2.3')).toBe(true);
    expect(call('net.cidr_contains', '::/0', '10.1.2.3')).toBe(false);
    expect(call('net.cidr_overlap', '10.0.0.0/8', '10.1.2.3')).toBe(true);
  });
  it('errors', () => {
    expect(err('net.cidr_contains', 'not-a-cidr', '192.168.1.67')).toEqual({
      code: 'eval_builtin_error',
      message: 'net.cidr_contains: invalid CIDR address: not-a-cidr',
    });
    expect(err('net.cidr_contains', '192.168.1.0/28', 'not-a-cidr')).toEqual({
      code: 'eval_builtin_error',
      message: 'net.cidr_contains: not a valid textual representation of an IP address or CIDR: not-a-cidr',
    });
    expect(err('net.cidr_intersects', 'not-a-cidr', '192.168.1.0/24').code).toBe('eval_builtin_error');
    expect(err('net.cidr_intersects', '192.168.1.0/28', 'not-a-cidr').code).toBe('eval_builtin_error');
  });
  it('intersects', () => {
    expect(call('net.cidr_intersects', '192.168.1.0/25', '192.168.1.64/25')).toBe(true);
    expect(call('net.cidr_intersects', '192.168.1.0/24', '192.168.2.0/24')).toBe(false);
    expect(call('net.cidr_intersects', 'fd1e:5bfe:8af3:9ddc::/64', 'fd1e:5bfe:8af3:9ddc:1111::/72')).toBe(true);
    expect(call('net.cidr_intersects', 'fd1e:5bfe:8af3:9ddc::/64', '2001:4860:4860::8888/32')).toBe(false);
  });
});

describe('net.cidr_contains_matches', () => {
  it('matches collections', () => {
    expect(call('net.cidr_contains_matches', '1.1.1.0/24', '1.1.1.1')).toEqual(set(['1.1.1.0/24', '1.1.1.1']));
    expect(call('net.cidr_contains_matches', ['1.1.2.0/24', '1.1.1.0/24'], ['1.1.1.1', '1.1.2.1'])).toEqual(set([0, 1], [1, 0]));
    expect(call('net.cidr_contains_matches', [['1.1.2.0/24', 1], '1.1.1.0/24'], ['1.1.1.1', '1.1.2.1'])).toEqual(set([0, 1], [1, 0]));
    expect(call('net.cidr_contains_matches', set('1.1.1.0/24', '1.1.2.0/24'), set('1.1.1.1', '1.1.2.1'))).toEqual(
      set(['1.1.1.0/24', '1.1.1.1'], ['1.1.2.0/24', '1.1.2.1']),
    );
    expect(
      call('net.cidr_contains_matches', set(['1.1.1.0/24', 'bar'], ['1.1.2.0/24', 'foo']), set(['1.1.1.1', 'baz'], ['1.1.2.1', 'qux'])),
    ).toEqual(set([['1.1.1.0/24', 'bar'], ['1.1.1.1', 'baz']], [['1.1.2.0/24', 'foo'], ['1.1.2.1', 'qux']]));
    const o = ObjectValue.fromRecord({ k1: '1.1.1.1/24', k2: ['1.1.1.2/24', 1] });
    expect(call('net.cidr_contains_matches', o, '1.1.1.128')).toEqual(set(['k1', '1.1.1.128'], ['k2', '1.1.1.128']));
  });
  it('rejects bad elements', () => {
    const msg = 'net.cidr_contains_matches: operand 2: element must be string or non-empty array';
    expect(err('net.cidr_contains_matches', ['1.1.2.0/24'], ['1.1.1.1', 1])).toEqual({ code: 'eval_builtin_error', message: msg });
    expect(err('net.cidr_contains_matches', set(['1.1.1.0/24', 'bar']), set([], ['1.1.2.1', 'qux'])).message).toBe(msg);
  });
});

describe('net.cidr_expand / is_valid', () => {
  it('expands', () => {
    expect(call('net.cidr_expand', '192.168.1.1/30')).toEqual(set('192.168.1.0', '192.168.1.1', '192.168.1.2', '192.168.1.3'));
    expect(call('net.cidr_expand', '172.16.100.255/30')).toEqual(set('172.16.100.252', '172.16.100.253', '172.16.100.254', '172.16.100.255'));
    expect(call('net.cidr_expand', '192.168.1.1/32')).toEqual(set('192.168.1.1'));
    expect(call('net.cidr_expand', 'fe80::/127')).toEqual(set('fe80::', 'fe80::1'));
    expect(err('net.cidr_expand', '192.168.1.1/33')).toEqual({ code: 'eval_builtin_error', message: 'net.cidr_expand: invalid CIDR address: 192.168.1.1/33' });
  });
  it('validates as net.ParseCIDR', () => {
    expect(call('net.cidr_is_valid', '192.168.1.0/24')).toBe(true);
    expect(call('net.cidr_is_valid', '')).toBe(false);
    expect(call('net.cidr_is_valid', 'there goes a string')).toBe(false);
    expect(call('net.cidr_is_valid', '192.168.1.2')).toBe(false);
    expect(call('net.cidr_is_valid', '2002::1234:abcd:ffff:c0a8:101/64')).toBe(true);
    expect(call('net.cidr_is_valid', '192.168.01.0/24')).toBe(false);
    expect(call('net.cidr_is_valid', 'fe80::1%eth0/64')).toBe(false);
    expect(call('net.cidr_is_valid', 1)).toBe(false);
  });
});

describe('net.cidr_merge', () => {
  const m = (...xs: string[]): Value | undefined => call('net.cidr_merge', xs);
  it('merges', () => {
    expect(m('192.0.128.0/24')).toEqual(set('192.0.128.0/24'));
    expect(m('192.0.128.0/24', '192.0.128.0/24')).toEqual(set('192.0.128.0/24'));
    expect(m('192.0.128.0/24', '0.0.0.0/0')).toEqual(set('0.0.0.0/0'));
    expect(m('192.0.128.0/24', '192.0.129.0/24')).toEqual(set('192.0.128.0/23'));
    expect(m('192.0.2.112/30', '192.0.2.116/31', '192.0.2.118/31')).toEqual(set('192.0.2.112/29'));
    expect(m('192.0.129.0/24', '192.0.130.0/24')).toEqual(set('192.0.129.0/24', '192.0.130.0/24'));
    expect(m('192.0.2.112/30', '192.0.2.116/32', '192.0.2.118/31')).toEqual(set('192.0.2.112/30', '192.0.2.116/32', '192.0.2.118/31'));
    expect(m('192.0.2.112/31', '192.0.2.116/31', '192.0.2.118/31')).toEqual(set('192.0.2.112/31', '192.0.2.116/30'));
    expect(m('::/0', 'fe80::1/128')).toEqual(set('::/0'));
    expect(m('::/0', '::192.0.2.0/124', 'ff00::101/128')).toEqual(set('::/0'));
    expect(m('fe80::/120', '192.0.2.0/24', '192.0.3.0/24', '192.0.4.0/25', '192.0.4.128/25')).toEqual(
      set('192.0.2.0/23', '192.0.4.0/24', 'fe80::/120'),
    );
    expect(m()).toEqual(set());
    expect(m('192.0.2.112', '192.0.2.116/31', '192.0.2.118/31')).toEqual(set('192.0.2.0/24'));
    expect(m('192.0.128.0', '192.0.129.0')).toEqual(set('192.0.128.0/23'));
    expect(call('net.cidr_merge', set('192.0.2.112/30', '192.0.2.116/31', '192.0.2.118/31'))).toEqual(set('192.0.2.112/29'));
    expect(m('2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128', '2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128')).toEqual(
      set('2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128'),
    );
    expect(m('2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64', '2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128')).toEqual(
      set('2601:600:8a80:207e::/64'),
    );
    const big = ['192.0.1.254/31'];
    for (let i = 0; i < 256; i += 16) big.push(`192.0.2.${i}/28`);
    big.push('192.0.3.0/28');
    expect(m(...big)).toEqual(set('192.0.1.254/31', '192.0.2.0/24', '192.0.3.0/28'));
  });
  it('errors', () => {
    expect(err('net.cidr_merge', ['2601:600:8a80:207e:a57d:7567:e2c9:e7b3']).message).toBe('net.cidr_merge: IPv6 invalid: needs prefix length');
    expect(err('net.cidr_merge', ['foo']).code).toBe('eval_builtin_error');
  });
});

describe('addresses', () => {
  it('formats as Go', () => {
    const f = (s: string): string => formatAddr(parseIP(s)!);
    expect(f('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(f('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(f('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(f('::1')).toBe('::1');
    expect(parseIP('1.2.3')).toBeUndefined();
    expect(parseIP('1::2::3')).toBeUndefined();
  });
  it('lookup_ip_addr resolves literals without the network', () => {
    expect(call('net.lookup_ip_addr', '10.0.0.0')).toEqual(set('10.0.0.0'));
    expect(call('net.lookup_ip_addr', '::')).toEqual(set('::'));
  });
});

import { describe, expect, it } from 'vitest';
import { fromJS } from '../json.ts';
import { builtins } from './template.ts';
import { caller } from './testutil.ts';

const call = caller(builtins);
const render = (tpl: string, vars: unknown): unknown => call('strings.render_template', tpl, fromJS(vars));

describe('strings.render_template', () => {
  it('prints values as Go does', () => {
    expect(render('{{.a}} {{.b}} {{.c}} {{.d}} {{.e}}', { a: 1.5, b: true, c: [1, 'x'], d: { k: 'v' }, e: null })).toBe('1.5 true [1 x] map[k:v] <no value>');
  });
  it('supports if/else, with, range over objects, variables and functions', () => {
    const vars = { n: 3, m: { b: 2, a: 1 }, s: 'hi' };
    expect(render('{{if gt .n 2}}big{{else if eq .n 2}}two{{else}}small{{end}}', vars)).toBe('big');
    expect(render('{{with .s}}[{{.}}]{{end}}', vars)).toBe('[hi]');
    expect(render('{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}', vars)).toBe('a=1;b=2;');
    expect(render('{{$x := len .s}}{{$x}} {{printf "%s-%d" .s 7}} {{.s | printf "%q"}}', vars)).toBe('2 hi-7 "hi"');
    expect(render('{{range .none}}x{{else}}empty{{end}}', vars)).toBe('empty');
    expect(render('{{index .m "a"}}', vars)).toBe('1');
  });
  it('trims whitespace around {{- and -}}', () => {
    expect(render('a  {{- .x -}}  b', { x: 1 })).toBe('a1b');
  });
  it('renders missing keys as <undefined> and reports parse errors', () => {
    expect(render('{{.nope}}', {})).toBe('<undefined>');
    expect(() => render('{{if .x}}', {})).toThrow('strings.render_template: template: template:1: unexpected EOF');
    expect(() => render('{{nofunc 1}}', {})).toThrow('function "nofunc" not defined');
  });
});

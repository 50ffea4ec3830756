import { run } from './engine/cli/regocheck.ts';
const io = { stdout: (s: string) => process.stdout.write(s), stderr: (s: string) => process.stderr.write('[stderr] ' + s) };
run(process.argv.slice(2), io).then((c) => console.log('exit', c));

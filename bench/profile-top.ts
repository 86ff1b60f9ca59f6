import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

// Summarises a `node --cpu-prof` file: the functions with the most self time, and the project
// functions with the most total time (self + callees), so a hot spot can be named with evidence.
// Usage: node -r ./scripts/swc-register.js bench/profile-top.ts <file.cpuprofile> [rows] [frame regexp]

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const [file, rowsArg, pattern] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-top <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);

const label = ({ functionName, url, lineNumber }: CallFrame): string => {
  const where = url.startsWith('file://') ? relative(process.cwd(), url.slice(7)) : url;
  return `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
};

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  self.set(label(node.callFrame), (self.get(label(node.callFrame)) ?? 0) + micros);
  // charge every distinct frame on the stack once
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = label(byId.get(at)!.callFrame);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
  }
}

const print = (title: string, entries: Map<string, number>, filter: (name: string) => boolean) => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(2)} s sampled)`);
  [...entries]
    .filter(([name]) => filter(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .forEach(([name, micros]) =>
      console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1e3).toFixed(0).padStart(7)} ms  ${name}`),
    );
};

print('self time', self, () => true);
const focus = pattern ? new RegExp(pattern) : /^[^ ]+ (libs|apps|bench)\//;
print(`total time, frames matching ${focus}`, inclusive, (name) => focus.test(name));

/**
 * Reads auto_explain's entries from PostgreSQL's log: statements over `auto_explain.log_min_duration`,
 * grouped by their first words (count, mean, max), and with --match, each matching entry's time
 * and duration (to line them up with a load run's slow seconds). The SQL of an entry may start on
 * the line after "Query Text:", and nested statements (log_nested_statements) are entries of their own.
 *   psql … -c "alter database DB set session_preload_libraries = 'auto_explain'" \
 *          -c "alter database DB set auto_explain.log_min_duration = '15ms'" \
 *          -c "alter database DB set auto_explain.log_nested_statements = on"   # reset afterwards
 *   node --import tsx bench/slow-statements.ts --since 21:42:13 [--until 21:43:30] [--match "insert into bags"]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    log: { type: 'string', default: '/var/log/postgresql/postgresql-15-main.log' },
    since: { type: 'string', default: '00:00:00' },
    until: { type: 'string', default: '99:99:99' },
    match: { type: 'string' },
  },
});

interface Entry {
  at: string;
  ms: number;
  sql: string;
}
const ENTRY = /^\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d\.\d+) \S+ \[\d+\] .*LOG: {2}duration: ([\d.]+) ms {2}plan:/;
const entries: Entry[] = [];
const lines = fs.readFileSync(a.log!, 'utf8').split('\n');
for (let i = 0; i < lines.length; i++) {
  const m = ENTRY.exec(lines[i]!);
  if (!m) continue;
  // The text follows "Query Text:", on the same line or the next non-empty ones.
  let sql = '';
  for (let j = i + 1; j < Math.min(lines.length, i + 6) && !sql; j++) {
    const line = lines[j]!.replace(/^\s*Query Text:\s*/, '').trim();
    if (line && !/^(Result|Insert|Update|Function Scan|Limit|Seq Scan|Index)/.test(line)) sql = line;
  }
  entries.push({ at: m[1]!, ms: Number(m[2]), sql: sql.replace(/\s+/g, ' ') });
}
const inWindow = entries.filter((e) => e.at >= a.since! && e.at <= a.until!);
const head = (sql: string) =>
  sql
    .replace(/^\/\*ps:(\w+)\*\/.*/, 'prepared $1')
    .split(' ')
    .slice(0, 5)
    .join(' ');
const groups = new Map<string, number[]>();
for (const e of inWindow) groups.set(head(e.sql), [...(groups.get(head(e.sql)) ?? []), e.ms]);
console.log(`${inWindow.length} logged statements from ${a.since} to ${a.until}`);
for (const [k, ms] of [...groups].sort((x, y) => y[1].length - x[1].length)) {
  const mean = ms.reduce((s, v) => s + v, 0) / ms.length;
  console.log(
    `${String(ms.length).padStart(5)}  mean ${mean.toFixed(1).padStart(6)}  max ${Math.max(...ms)
      .toFixed(1)
      .padStart(6)} ms  ${k}`,
  );
}
if (a.match) {
  const want = a.match.toLowerCase();
  console.log(`\nentries matching "${a.match}":`);
  for (const e of inWindow.filter((x) => x.sql.toLowerCase().includes(want))) console.log(`  ${e.at}  ${e.ms.toFixed(1)} ms`);
}

#!/usr/bin/env node
// The reporting half of scripts/bench: medians, ratios, targets, the JSON result files and the
// generated tables of docs/performance.md. Plain Node, no dependencies.
//
//   node report.js table RAW.jsonl MACHINE_JSON OUT.json   comparison table -> stdout + OUT.json
//   node report.js instructions ROWS_JSON MACHINE_JSON OUT.json   callgrind ratios
//   node report.js docs RESULTS_DIR DOC.md   refreshes the generated blocks of DOC.md from
//                                            latest.json, instructions.json and soak.json
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const TOOLS = ['redis-benchmark', 'hiredis', 'ioredis', 'redwire'];
const PEERS = ['redis-benchmark', 'hiredis', 'ioredis'];
// Rows in display order; `peers` names the row whose peer runs the redwire row is compared to.
const ROWS = [
  { row: 'sequential', label: 'sequential (blocking facade)', peers: 'sequential' },
  { row: 'sequential-coro', label: 'sequential (coroutine)', peers: 'sequential' },
  { row: 'pipeline 100', label: 'pipeline 100 (Pipeline class)', peers: 'pipeline 100' },
  { row: 'burst 100', label: 'burst 100 (autopipelined) *', peers: 'pipeline 100' },
  { row: 'concurrent 128', label: 'concurrent 128 (1 connection)', peers: 'concurrent 128' },
  { row: 'connections 50', label: 'connections 50', peers: 'connections 50' },
];
const PEER_MODE = {
  'redis-benchmark': { sequential: '-c 1 -P 1', 'pipeline 100': '-c 1 -P 100',
    'concurrent 128': '-c 1 -P 128', 'connections 50': '-c 50 -P 1' },
  hiredis: { sequential: 'append + get reply, one at a time',
    'pipeline 100': '100 appended, then 100 replies read' },
  ioredis: { sequential: 'await each', 'pipeline 100': 'pipeline().exec() of 100',
    'concurrent 128': '128 callers, enableAutoPipelining' },
};
// Targets (the product brief, issue 8): [row, peer, minimum ratio redwire/peer].
const TARGETS = [
  ['sequential-coro', 'hiredis', 0.95],
  ['sequential', 'hiredis', 0.95],
  ['concurrent 128', 'redis-benchmark', 0.9],
  ['concurrent 128', 'ioredis', 3],
  ['pipeline 100', 'redis-benchmark', 0.95],
  ['pipeline 100', 'hiredis', 1],
];
const PIPELINE_NOTE = '\\* burst 100: redwire without the Pipeline class — 100 commands issued at ' +
  'once from one caller (callbacks, no await in between), replies awaited together; ' +
  'autopipelining writes them together. Compared with the peers\' pipeline of 100.';

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

const fmtOps = (x) => (x == null ? '-' : Math.round(x).toLocaleString('en-US'));
const fmtRatio = (x) => (x == null ? '-' : `${x.toFixed(2)}x`);

// ---------------------------------------------------------------- table
function summarize(rawFile) {
  const runs = fs.readFileSync(rawFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const cells = new Map();  // command|row|tool -> [result], and the rounds they ran in
  for (const r of runs) {
    const key = `${r.command}|${r.row}|${r.tool}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push({ ...r.result, round: r.round });
  }
  // Ratio of two tools: the median of their per-round ratios. The tools of one mode run back to
  // back within a round, so pairing them cancels most of the drift between rounds.
  const pairedRatio = (a, b) => {
    if (!a || !b) return null;
    const byRound = new Map(b.list.map((x) => [x.round, x.ops_per_sec]));
    return median(a.list.filter((x) => byRound.get(x.round) > 0)
      .map((x) => x.ops_per_sec / byRound.get(x.round)));
  };
  const cell = (command, row, tool) => {
    const list = cells.get(`${command}|${row}|${tool}`);
    if (!list) return null;
    const lat = (f) => median(list.map((x) => (x.latency_us ? x.latency_us[f] : NaN)));
    return {
      ops_per_sec: median(list.map((x) => x.ops_per_sec)),
      runs: list.map((x) => Math.round(x.ops_per_sec)),
      list,
      latency_us: { p50: lat('p50'), p99: lat('p99'), max: lat('max') },
      cpu_us_per_op: median(list.map((x) => x.cpu_us_per_op)),
      label: list[0].label,
    };
  };
  const commands = [...new Set(runs.map((r) => r.command))];
  const rows = [];
  for (const command of commands) {
    for (const def of ROWS) {
      const redwire = cell(command, def.row, 'redwire');
      if (!redwire) continue;
      const peers = {};
      const ratios = {};
      for (const p of PEERS) {
        const c = cell(command, def.peers, p);
        if (!c) continue;
        peers[p] = { ...c, mode: PEER_MODE[p][def.peers] };
        ratios[p] = pairedRatio(redwire, c);
      }
      rows.push({ command, row: def.row, label: def.label, redwire, peers, ratios });
    }
  }
  const targets = [];
  for (const row of rows) {
    for (const [r, peer, min] of TARGETS) {
      if (row.row !== r || row.ratios[peer] == null) continue;
      targets.push({ command: row.command, row: r, peer, minimum: min, ratio: row.ratios[peer],
        met: row.ratios[peer] >= min });
    }
  }
  return { rows, targets, rounds: Math.max(...runs.map((r) => r.round)) };
}

function tableLines(summary, markdown) {
  const head = ['command', 'mode', ...TOOLS, ...PEERS.map((p) => `÷ ${p}`)];
  const body = summary.rows.map((r) => [r.command, r.label,
    ...PEERS.map((p) => fmtOps(r.peers[p] && r.peers[p].ops_per_sec)), fmtOps(r.redwire.ops_per_sec),
    ...PEERS.map((p) => fmtRatio(r.ratios[p]))]);
  if (markdown) {
    return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
      ...body.map((b) => `| ${b.join(' | ')} |`)];
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cols) => cols.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)];
}

function targetLines(summary, markdown) {
  const label = (row) => (ROWS.find((d) => d.row === row) || { label: row }).label.replace(' *', '');
  const commands = [...new Set(summary.targets.map((t) => t.command))];
  const head = ['target', ...commands];
  const body = [];
  for (const [row, peer, min] of TARGETS) {
    const cells = commands.map((c) => {
      const t = summary.targets.find((x) => x.command === c && x.row === row && x.peer === peer);
      return t ? `${t.ratio.toFixed(2)}x ${t.met ? 'met' : 'NOT met'}` : '-';
    });
    if (cells.every((x) => x === '-')) continue;
    body.push([`${label(row)} ≥ ${min}× ${peer}`, ...cells]);
  }
  if (markdown) {
    return [`| ${head.join(' | ')} |`, `|---|${commands.map(() => '---').join('|')}|`,
      ...body.map((b) => `| ${b.join(' | ')} |`)];
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((cols) => `  ${cols.map((c, i) => c.padEnd(widths[i])).join('  ')}`);
}

function cmdTable(rawFile, machineJson, outFile) {
  const machine = JSON.parse(machineJson);
  const summary = summarize(rawFile);
  console.log();
  console.log(`ops/s: median of ${summary.rounds} interleaved rounds; ratios: median of the ` +
    `per-round ratios — ${machine.command}`);
  for (const l of tableLines(summary, false)) console.log(l);
  console.log(PIPELINE_NOTE.replace(/\\/g, ''));
  console.log('targets:');
  for (const l of targetLines(summary, false)) console.log(l);
  const strip = (c) => { const { list, ...rest } = c; return rest; };
  for (const r of summary.rows) {
    r.redwire = strip(r.redwire);
    for (const p of Object.keys(r.peers)) r.peers[p] = strip(r.peers[p]);
  }
  fs.writeFileSync(outFile, `${JSON.stringify({ machine, ...summary }, null, 1)}\n`);
}

// ---------------------------------------------------------------- instructions
function cmdInstructions(rowsJson, machineJson, outFile) {
  const rows = JSON.parse(rowsJson);
  const find = (workload, tool) => rows.find((r) => r.workload === workload && r.tool === tool);
  const ratios = [];
  const hp = find('SET pipeline 100', 'hiredis');
  const hs = find('GET sequential', 'hiredis');
  const add = (name, w, base, target) => {
    if (!w || !base) return;
    ratios.push({ name, redwire: w.per_command, hiredis: base.per_command,
      ratio: w.per_command / base.per_command, target });
  };
  add('SET pipeline 100', find('SET pipeline 100', 'redwire'), hp, 0.8);
  add('SET burst 100 (vs hiredis pipeline 100)', find('SET burst 100', 'redwire'), hp, null);
  add('SET concurrent 128 (vs hiredis pipeline 100)', find('SET concurrent 128', 'redwire'), hp, null);
  add('GET sequential (coroutine)', find('GET sequential', 'redwire'), hs, null);
  add('GET sequential (blocking facade)', find('GET sequential (blocking facade)', 'redwire'), hs, null);
  console.log('instructions per command (callgrind, client process):');
  for (const r of ratios) {
    console.log(`  ${r.name.padEnd(46)} redwire ${r.redwire.toFixed(0).padStart(7)}  hiredis ` +
      `${r.hiredis.toFixed(0).padStart(7)}  ratio ${r.ratio.toFixed(2)}` +
      (r.target ? `  (target ≤ ${r.target}: ${r.ratio <= r.target ? 'met' : 'NOT met'})` : ''));
  }
  fs.writeFileSync(outFile, `${JSON.stringify({ machine: JSON.parse(machineJson), rows, ratios }, null, 1)}\n`);
}

// ---------------------------------------------------------------- docs
const BLOCKS = {
  throughput: {
    heading: '## Client throughput (side by side)',
    intro: 'Measured by `scripts/bench` against one redis-server started for the run, all tools ' +
      'interleaved in rounds. ops/s: the median of the rounds; ratios: the median of the ' +
      'per-round ratios (tools of one mode run back to back within a round). Absolute numbers ' +
      'on a shared 2-core machine are noise; the ratios are the result.',
  },
  instructions: {
    heading: '## Cost per command',
    intro: 'Instructions executed by the client process per command, counted by callgrind ' +
      '(`scripts/bench --instructions`): each workload runs with N1 and N2 commands and the ' +
      'difference is divided by N2 − N1, which cancels start-up and shutdown.',
  },
  soak: {
    heading: '## Soak',
    intro: 'SET commands through one connection from 128 concurrent callers ' +
      '(`scripts/bench --soak`), resident memory of the client sampled every second.',
  },
};

function machineLine(m) {
  return `Machine: ${m.cpu}, ${m.cores} cores, ${m.os}, kernel ${m.kernel}; redis ${m.redis}, ` +
    `hiredis ${m.hiredis}, node ${m.node}, g++ ${m.compiler}. redwire at ${m.commit || '?'}. ` +
    `Date: ${m.date}. Command: ` +
    `\`${m.command}\`.`;
}

function renderThroughput(file) {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  const peerModes = Object.entries(PEER_MODE).map(([p, modes]) =>
    `${p}: ${Object.entries(modes).map(([row, m]) => `${row} = ${m}`).join(', ')}`);
  return [machineLine(r.machine), '', ...tableLines(r, true), '', PIPELINE_NOTE, '',
    `Peer modes — ${peerModes.join('; ')}.`, '', 'Targets (median of per-round ratios):', '',
    ...targetLines(r, true)];
}

function renderInstructions(file) {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  const lines = [machineLine(r.machine), '',
    '| workload | redwire instr/command | hiredis instr/command | ratio | target |',
    '|---|---:|---:|---:|---|'];
  for (const x of r.ratios) {
    lines.push(`| ${x.name} | ${x.redwire.toFixed(0)} | ${x.hiredis.toFixed(0)} | ` +
      `${x.ratio.toFixed(2)} | ${x.target ? `≤ ${x.target}: ${x.ratio <= x.target ? 'met' : 'NOT met'}` : '—'} |`);
  }
  return lines;
}

function renderSoak(file) {
  const { machine, result } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const rss = result.rss_kb;
  return [machineLine(machine), '',
    `${result.requests.toLocaleString('en-US')} commands in ${result.seconds.toFixed(1)} s ` +
    `(${Math.round(result.ops_per_sec).toLocaleString('en-US')} ops/s), ${result.errors} errors. ` +
    `RSS: first ${rss.first} KiB, last ${rss.last} KiB, max ${rss.max} KiB ` +
    `(${rss.samples.length} samples, one per second).`];
}

function replaceBlock(doc, name, lines) {
  const begin = `<!-- redwire-bench:${name}:begin (generated by scripts/bench; edits here are overwritten) -->`;
  const end = `<!-- redwire-bench:${name}:end -->`;
  const block = `${begin}\n${lines.join('\n')}\n${end}`;
  const re = new RegExp(`<!-- redwire-bench:${name}:begin[^\\n]*-->[\\s\\S]*?<!-- redwire-bench:${name}:end -->`);
  if (re.test(doc)) return doc.replace(re, () => block);
  const b = BLOCKS[name];
  return `${doc.replace(/\n*$/, '\n\n')}${b.heading}\n\n${b.intro}\n\n${block}\n`;
}

function cmdDocs(dir, docFile) {
  let doc = fs.existsSync(docFile) ? fs.readFileSync(docFile, 'utf8') : '# Performance\n';
  const sources = [['throughput', 'latest.json', renderThroughput],
    ['instructions', 'instructions.json', renderInstructions], ['soak', 'soak.json', renderSoak]];
  for (const [name, file, render] of sources) {
    const p = path.join(dir, file);
    if (fs.existsSync(p)) doc = replaceBlock(doc, name, render(p));
  }
  fs.writeFileSync(docFile, doc);
  console.log(`== refreshed the generated tables of ${docFile}`);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'table') cmdTable(...args);
else if (cmd === 'instructions') cmdInstructions(...args);
else if (cmd === 'docs') cmdDocs(...args);
else {
  console.error('usage: report.js table|instructions|docs ...');
  process.exit(2);
}

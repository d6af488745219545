#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { countText } from "../src/count.js";

const [file] = process.argv.slice(2);
const text = readFileSync(file ?? 0, "utf8");
const { lines, words, bytes } = countText(text);
process.stdout.write(`${lines}\t${words}\t${bytes}\n`);

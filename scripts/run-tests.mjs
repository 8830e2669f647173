#!/usr/bin/env node
// Runs the worker's and the theme's test suites one after the other (both always run, so one red
// suite does not hide the other) and ends with one summary line for the whole project.
import { spawn } from "node:child_process";

const suites = [
  { name: "worker", args: ["run", "test", "-w", "worker"] },
  { name: "theme", args: ["run", "test:browser"] },
];

// node:test prints "ℹ pass N" / "ℹ fail N" per run; Vitest prints "Tests  N passed | M failed (T)".
const ANSI = /\u001b\[[0-9;]*m/g;
function count(text) {
  let passed = 0;
  let failed = 0;
  for (const raw of text.split("\n")) {
    const line = raw.replace(ANSI, "");
    let m = line.match(/^ℹ pass (\d+)/);
    if (m) passed += Number(m[1]);
    m = line.match(/^ℹ fail (\d+)/);
    if (m) failed += Number(m[1]);
    if (/^\s*Tests\s/.test(line)) {
      m = line.match(/(\d+) passed/);
      if (m) passed += Number(m[1]);
      m = line.match(/(\d+) failed/);
      if (m) failed += Number(m[1]);
    }
  }
  return { passed, failed };
}

function run(suite) {
  return new Promise((resolve) => {
    const child = spawn("npm", suite.args, {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      out += chunk;
    });
    child.on("close", (code) => resolve({ ...count(out), code: code ?? 1 }));
  });
}

let passed = 0;
let failed = 0;
let exitCode = 0;
for (const suite of suites) {
  const result = await run(suite);
  passed += result.passed;
  failed += result.failed;
  if (result.code !== 0) {
    exitCode = 1;
    console.log(`\n${suite.name} tests exited with code ${result.code}`);
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exitCode = exitCode || (failed > 0 ? 1 : 0);

#!/usr/bin/env node
/**
 * Entry point for every command. Each command lives in its own module under src/cli/commands and
 * exports `run(argv): Promise<number>` (the exit code), so commands load only what they need.
 */
const commands: Record<string, { module: string; summary: string }> = {
  inspect: { module: "./commands/inspect.ts", summary: "show what the worker reads from a feed" },
  sync: { module: "./commands/sync.ts", summary: "sync one feed into Discourse once (cron friendly)" },
  serve: { module: "./commands/serve.ts", summary: "run the queue worker and HTTP API" },
  demo: {
    module: "./commands/demo.ts",
    summary: "plan, sync and sync again a bundled sample feed against the emulator",
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: discourse-ics <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nRun a command with --help for its options.`;
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === "--help" || name === "-h") {
  console.log(usage());
  process.exit(name ? 0 : 2);
}
const command = commands[name];
if (!command) {
  console.error(`discourse-ics: unknown command "${name}"\n\n${usage()}`);
  process.exit(2);
}
const mod = (await import(command.module)) as { run(argv: string[]): Promise<number> };
process.exitCode = await mod.run(rest);

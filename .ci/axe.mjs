// Accessibility and first-screen check of the built site: serves public/ on loopback, opens one page of every kind
// in every language in Debian's Chromium (driven by playwright-core) and runs axe-core on it.
// Usage: node .ci/axe.mjs <public dir> <url path>...   Exit 1 on any violation.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { createRequire } from "node:module";

// Packages come from the folder CI installed them into (CI_TOOLS), else from beside this script.
const require = createRequire(join(process.env.CI_TOOLS ?? new URL(".", import.meta.url).pathname, "package.json"));
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");

const [root, ...paths] = process.argv.slice(2);
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml", ".svg": "image/svg+xml", ".json": "application/json" };

const server = createServer(async (req, res) => {
  let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (path.endsWith("/")) path += "index.html";
  const file = join(root, path);
  try {
    if ((await stat(file)).isFile()) {
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(await readFile(file));
      return;
    }
  } catch {}
  res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
  res.end(await readFile(join(root, "404.html")));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let violations = 0;
for (const path of paths) {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    const page = await browser.newPage({ viewport });
    const response = await page.goto(base + path);
    if (!response || response.status() !== 200) {
      console.log(`FAIL ${path}: HTTP ${response?.status()}`);
      violations++;
      await page.close();
      continue;
    }
    if (viewport.width === 390) {
      // The phone's first screen: the page's heading within the first 150 px (after the notice of
      // an untranslated page, which comes first on purpose), footer links off the screen's edge.
      const layout = await page.evaluate(() => ({
        h1: document.querySelector("h1")?.getBoundingClientRect().top ?? 0,
        notice: !!document.querySelector("main .notice"),
        footer: Math.min(...[...document.querySelectorAll(".site-footer a")].map((a) => a.getBoundingClientRect().left)),
      }));
      if (layout.h1 > 150 && !layout.notice) {
        violations++;
        console.log(`FAIL ${path} (390px): the heading starts at ${Math.round(layout.h1)} px, below the first 150 px`);
      }
      if (layout.footer < 8) {
        violations++;
        console.log(`FAIL ${path} (390px): a footer link touches the screen's edge (${layout.footer} px)`);
      }
    }
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    for (const v of result.violations) {
      violations++;
      console.log(`FAIL ${path} (${viewport.width}px): ${v.id} (${v.impact}): ${v.help}`);
      for (const node of v.nodes.slice(0, 3)) console.log(`     ${node.target.join(" ")}: ${node.failureSummary.split("\n").slice(1).join(" ")}`);
    }
    await page.close();
  }
}
await browser.close();
server.close();
console.log(`axe-core: ${paths.length} pages at 2 widths, ${violations} violations`);
process.exit(violations ? 1 : 0);

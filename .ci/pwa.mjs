// The site as an app, in Debian's Chromium (driven by playwright-core): a copy of the site is
// built and served as a host serves it (_headers, precompressed files), then
// 1. installability: Chrome's own checks of every language's home (CDP
//    Page.getInstallabilityErrors) find nothing missing;
// 2. offline: a page read online, and the services index (kept at install), read again
//    offline; a page never read gets the offline page in its language;
// 3. a rebuild that changes the stylesheet: the new worker replaces the old cache, and the pages
//    use the new stylesheet, online and offline;
// 4. search, on each language's search page, in a fresh browser: queries with and without
//    diacritics, and inflected words, find the expected page; the bytes the first query fetched
//    (the page, its stylesheet and scripts, the index), as sent on the wire, stay within 30 KB.
// Usage: node .ci/pwa.mjs <site root> <karvan binary>     Exit 1 on any failure.
// With SCREENSHOTS=<dir>, also saves each language's search page (after a query) and offline
// page at 390 px there (docs/screenshots/ holds the portal's).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, appendFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { serve } from "./serve.mjs";

const require = createRequire(join(process.env.CI_TOOLS ?? new URL(".", import.meta.url).pathname, "package.json"));
const { chromium } = require("playwright-core");

const [siteRoot, karvan] = process.argv.slice(2);
const BUDGET = 30 * 1024;
const screenshots = process.env.SCREENSHOTS;

// A copy of the site, so that the stylesheet can change without touching the checkout.
const root = mkdtempSync(join(tmpdir(), "karvan-pwa-"));
for (const name of ["site.toml", "content", "i18n", "themes", "static", "templates"]) {
  if (existsSync(join(siteRoot, name))) cpSync(join(siteRoot, name), join(root, name), { recursive: true });
}
const publicDir = join(root, "public");
const build = () => execFileSync(karvan, ["build", "--quiet", "--root", root], { stdio: "inherit" });
build();

const config = readFileSync(join(root, "site.toml"), "utf8");
const codes = [...config.matchAll(/^code = "([^"]+)"/gm)].map((m) => m[1]);
const pages = execFileSync("python3", [join(siteRoot, ".ci/pages.py"), "--core", root, publicDir], { encoding: "utf8" }).trim().split("\n");
// Per language: [home, section, content page, service, agency, search] (pages.py --core).
const byLang = Object.fromEntries(codes.map((c) => [c, pages.filter((p) => p.startsWith(`/${c}/`))]));

const { server, base } = await serve(publicDir, { precompressed: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}
const h1 = (page) => page.evaluate(() => document.querySelector("h1")?.textContent.trim() ?? "");

// Waits until a service worker controls the page (installed, activated, claimed).
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
}

// 1. Installability (in a profile of its own: Chrome does not install from an incognito one).
{
  const profile = mkdtempSync(join(tmpdir(), "karvan-pwa-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  for (const code of codes) {
    await page.goto(base + byLang[code][0]);
    await controlled(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    check(installabilityErrors.length === 0, `${byLang[code][0]} installable${installabilityErrors.length ? ": " + JSON.stringify(installabilityErrors) : ""}`);
    const manifest = await page.evaluate(async () => (await fetch(document.querySelector("link[rel=manifest]").href)).json());
    check(manifest.start_url === byLang[code][0] && manifest.scope === `/${code}/` && manifest.lang === code, `${code} manifest: start_url ${manifest.start_url}, scope ${manifest.scope}`);
  }
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

// 2. Offline reading, and 3. a rebuild with a new stylesheet.
{
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const reader = codes.includes("en") ? "en" : codes[0];
  const [home, , content, service] = byLang[reader];
  const offlineTitle = (code) => readFileSync(join(publicDir, code, "offline.html"), "utf8").match(/<h1>([^<]*)<\/h1>/)[1];
  await page.goto(base + home);
  await controlled(page);
  await page.goto(base + content);
  const title = await h1(page);
  await context.setOffline(true);
  await page.reload();
  check((await h1(page)) === title, `offline: ${content}, read before, reads again ("${title}")`);
  const servicesIndex = service.split("/").slice(0, 3).join("/") + "/";
  const response = await page.goto(base + servicesIndex);
  check(response?.ok() && (await page.locator(".cards, h2").count()) > 0, `offline: the services index ${servicesIndex}, never read, was kept at install`);
  for (const code of codes) {
    const never = byLang[code][4] ?? byLang[code][3];
    await page.goto(base + never);
    const lang = await page.evaluate(() => document.documentElement.lang);
    const text = await h1(page);
    check(lang === code && text === offlineTitle(code), `offline: ${never}, never read, gets the ${code} offline page ("${text}")`);
    if (screenshots) await page.screenshot({ path: join(screenshots, `${code}-offline-390.png`) });
  }
  await context.setOffline(false);

  // The stylesheet changes: a new fingerprint, a new worker, the old cache gone.
  const oldCss = await page.evaluate(() => document.querySelector("link[rel=stylesheet]").getAttribute("href"));
  appendFileSync(join(root, "themes/default/static/style.css"), "\n.pwa-check-marker { color: inherit; }\n");
  build();
  await page.goto(base + content);
  const newCss = await page.evaluate(() => document.querySelector("link[rel=stylesheet]").getAttribute("href"));
  check(newCss !== oldCss, `after the rebuild the page links the new stylesheet (${oldCss} → ${newCss})`);
  // The browser has fetched the new sw.js on that navigation; wait for it to take over.
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    await registration.update();
  });
  for (let tries = 0; tries < 60; tries++) {
    const ready = await page.evaluate(async (css) => {
      const names = (await caches.keys()).filter((n) => n.startsWith("karvan-") && n !== "karvan-pages");
      return names.length === 1 && !!(await (await caches.open(names[0])).match(css));
    }, newCss);
    if (ready) break;
    await page.waitForTimeout(250);
  }
  const names = await page.evaluate(() => caches.keys());
  check(names.filter((n) => n !== "karvan-pages").length === 1, `one cache of this build left: ${names.join(", ")}`);
  const stale = await page.evaluate(async (css) => !!(await caches.match(css)), oldCss);
  check(!stale, `the old stylesheet ${oldCss} is in no cache`);
  await context.setOffline(true);
  await page.reload();
  const used = await page.evaluate(() => [...document.styleSheets].map((s) => [s.href, [...s.cssRules].some((r) => r.selectorText === ".pwa-check-marker")]));
  check(used.length === 1 && used[0][0].endsWith(newCss) && used[0][1], `offline after the rebuild the page uses the new stylesheet`);
  await context.close();
}

// 4. Search. Each language: [query, title of the page it must find].
const queries = {
  az: [["müvəqqəti yaşama icazəsi", "Müvəqqəti yaşama icazəsi"], ["muveqqeti yasama icazesi", "Müvəqqəti yaşama icazəsi"], ["VÖEN", "Vergi ödəyicisi kimi qeydiyyat (VÖEN)"], ["voen", "Vergi ödəyicisi kimi qeydiyyat (VÖEN)"], ["İCAZƏLƏRİ", "Lisenziyalar və icazələr"]],
  en: [["VÖEN", "Register as a taxpayer (VÖEN)"], ["voen", "Register as a taxpayer (VÖEN)"], ["permits", "Licences and permits"]],
  ru: [["налоговый учёт", "Постановка на налоговый учёт (VÖEN)"], ["налоговый учет", "Постановка на налоговый учёт (VÖEN)"], ["регистрации", "Регистрация по месту пребывания"], ["voen", "Постановка на налоговый учёт (VÖEN)"]],
};
for (const code of codes) {
  const searchPage = byLang[code].at(-1);
  // A fresh browser: nothing cached, no worker yet.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: "block" });
  const page = await context.newPage();
  let bytes = 0;
  const fetched = [];
  page.on("requestfinished", async (request) => {
    try {
      const sizes = await request.sizes();
      bytes += sizes.responseBodySize + sizes.responseHeadersSize;
      fetched.push(`${new URL(request.url()).pathname} ${sizes.responseBodySize}`);
    } catch {
      // The page closed first: the query's bytes were counted already.
    }
  });
  await page.goto(base + searchPage, { waitUntil: "load" });
  check(await page.locator("form#search").isVisible(), `${searchPage}: the form is there with JavaScript`);
  let first = true;
  for (const [query, title] of queries[code] ?? []) {
    await page.fill("#search-q", query);
    await page.press("#search-q", "Enter");
    await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "");
    const results = await page.evaluate(() => [...document.querySelectorAll("#search-list a")].map((a) => a.textContent));
    if (first) {
      await page.waitForTimeout(200);
      if (screenshots) await page.screenshot({ path: join(screenshots, `${code}-search-390.png`) });
      check(bytes <= BUDGET, `${searchPage}: the page and the first query fetched ${bytes} bytes (budget ${BUDGET}): ${fetched.join(", ")}`);
      first = false;
    }
    check(results.slice(0, 5).includes(title), `${searchPage}: "${query}" finds "${title}" (first: ${results.slice(0, 3).join(" | ")})`);
  }
  // Without JavaScript: no form (it could do nothing), the A–Z list.
  {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const page = await plain.newPage();
    await page.goto(base + searchPage);
    const form = await page.locator("form#search").isVisible();
    const letters = await page.locator("ul.a-z a").count();
    check(!form && letters > 10, `${searchPage} without JavaScript: no form, ${letters} pages from A to Z`);
    await plain.close();
  }
  // Results link to pages in the same language.
  const links = await page.evaluate(() => [...document.querySelectorAll("#search-list a")].map((a) => new URL(a.href).pathname));
  check(links.length > 0 && links.every((l) => l.startsWith(`/${code}/`)), `${searchPage}: results link to /${code}/ pages`);
  await context.close();
}

await browser.close();
server.close();
rmSync(root, { recursive: true, force: true });
console.log(`pwa: ${failures} failures`);
process.exit(failures ? 1 : 0);

// Serves a built site on loopback as a host that reads karvan's _headers would (Netlify,
// Cloudflare Pages syntax): each path's headers, a language's own 404 page for a missing
// address under its folder, and, with { precompressed: true }, the .br or .gz sibling when the
// browser accepts it, as nginx's brotli_static/gzip_static do. The files are read on every
// request, so a rebuild into the same folder is served at once.
// Used by lighthouse.mjs and pwa.mjs.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml", ".svg": "image/svg+xml", ".json": "application/json", ".png": "image/png", ".webmanifest": "application/manifest+json", ".txt": "text/plain" };

// _headers: "path pattern" lines, then indented "Name: value" lines. A * matches anything.
async function readRules(root) {
  const rules = [];
  for (const line of (await readFile(join(root, "_headers"), "utf8")).split("\n")) {
    if (!line.trim()) continue;
    if (!/^\s/.test(line)) {
      const pattern = new RegExp("^" + line.trim().replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
      rules.push({ pattern, headers: [] });
    } else {
      const at = line.indexOf(":");
      rules.at(-1).headers.push([line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()]);
    }
  }
  return rules;
}

async function isFile(path) {
  try { return (await stat(path)).isFile(); } catch { return false; }
}

export async function serve(root, { precompressed = false } = {}) {
  const server = createServer(async (req, res) => {
    const rules = await readRules(root);
    const url = new URL(req.url, "http://x").pathname;
    const headersFor = (path) => {
      const headers = {};
      for (const rule of rules) if (rule.pattern.test(path)) for (const [name, value] of rule.headers) headers[name] = value;
      return headers;
    };
    let path = normalize(decodeURIComponent(url));
    if (path.endsWith("/")) path += "index.html";
    let file = join(root, path);
    let status = 200;
    if (!(await isFile(file))) {
      status = 404;
      const lang = url.split("/")[1];
      file = (await isFile(join(root, lang, "404.html"))) ? join(root, lang, "404.html") : join(root, "404.html");
    }
    const headers = { "content-type": types[extname(file)] ?? "application/octet-stream", ...headersFor(url) };
    const accepted = req.headers["accept-encoding"] ?? "";
    let body = file;
    if (precompressed) {
      for (const [encoding, extension] of [["br", ".br"], ["gzip", ".gz"]]) {
        if (accepted.includes(encoding) && (await isFile(file + extension))) {
          body = file + extension;
          headers["content-encoding"] = encoding;
          headers["vary"] = "Accept-Encoding";
          break;
        }
      }
    }
    res.writeHead(status, headers);
    res.end(await readFile(body));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

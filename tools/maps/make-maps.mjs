// Draws the portal's maps of Azerbaijan (static/images/maps/*.png) from Natural Earth's country
// borders, as npm's world-atlas packages them (ISC licence; Natural Earth is in the public domain).
//
//   npm install --prefix /tmp/maps world-atlas@2.0.2
//   node tools/maps/make-maps.mjs /tmp/maps/node_modules/world-atlas/countries-10m.json
//
// Each map is written as SVG, then drawn at 1600 px wide by Debian's chromium (what .ci/run uses)
// into a PNG: the build makes the smaller copies. Markers are numbered, large enough to read on a
// 390 px phone screen (the image is shown at about a quarter of its size there); the pages name
// them in their caption, in each language, so one image serves every language.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

const atlas = JSON.parse(readFileSync(process.argv[2], "utf8"));
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "static", "images", "maps");

// TopoJSON: arcs are delta-encoded and quantised; a negative index is the arc reversed.
const [sx, sy] = atlas.transform.scale;
const [tx, ty] = atlas.transform.translate;
const arcs = atlas.arcs.map((arc) => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => ((x += dx), (y += dy), [x * sx + tx, y * sy + ty]));
});
const ring = (indices) =>
  indices.flatMap((i, n) => {
    const points = i < 0 ? [...arcs[~i]].reverse() : arcs[i];
    return n === 0 ? points : points.slice(1);
  });
const polygons = (geometry) =>
  geometry.type === "Polygon" ? [geometry.arcs.map(ring)]
  : geometry.type === "MultiPolygon" ? geometry.arcs.map((p) => p.map(ring))
  : [];

// The view: Azerbaijan with Nakhchivan, a little of its neighbours, the Caspian's west coast.
const view = { west: 44.6, east: 51.0, south: 38.2, north: 42.1 };
const width = 1600;
const midLat = ((view.south + view.north) / 2) * Math.PI / 180;
const perLon = width / (view.east - view.west);
const perLat = perLon / Math.cos(midLat);
const height = Math.round((view.north - view.south) * perLat);
const project = ([lon, lat]) => [(lon - view.west) * perLon, (view.north - lat) * perLat];
const near = (points) => points.some(([lon, lat]) =>
  lon > view.west - 3 && lon < view.east + 3 && lat > view.south - 3 && lat < view.north + 3);
const path = (rings) => rings
  .map((r) => "M" + r.map((p) => project(p).map((v) => v.toFixed(1)).join(",")).join("L") + "Z")
  .join("");

function draw(name, markers) {
  const countries = atlas.objects.countries.geometries;
  let shapes = "";
  for (const country of countries) {
    const home = country.id === "031";
    for (const polygon of polygons(country)) {
      if (!near(polygon[0])) continue;
      shapes += `<path d="${path(polygon)}" fill="${home ? "#fbf5e6" : "#e9e7e1"}" stroke="${home ? "#2f5d50" : "#a9a59b"}" stroke-width="${home ? 5 : 2.5}" stroke-linejoin="round"/>`;
    }
  }
  const dots = markers.map(([n, lon, lat]) => {
    const [x, y] = project([lon, lat]);
    return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="50" fill="#0b5cab" stroke="#fff" stroke-width="7"/>` +
      `<text x="${x.toFixed(1)}" y="${(y + 21).toFixed(1)}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="60" fill="#fff">${n}</text>`;
  }).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="#cfe2ef"/>${shapes}${dots}</svg>\n`;
  const dir = mkdtempSync(join(tmpdir(), "karvan-map-"));
  const file = join(dir, `${name}.svg`);
  writeFileSync(file, svg);
  execFileSync(process.env.CHROME_PATH || "chromium", [
    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
    `--window-size=${width},${height}`, `--screenshot=${join(out, `${name}.png`)}`, `file://${file}`,
  ], { stdio: "ignore" });
  console.log(`${name}.png: ${width} × ${height}`);
}

// The UNESCO World Heritage sites, in the order of the page (positions to a few kilometres).
draw("unesco-sites", [
  [1, 49.836, 40.366], // Walled City of Baku (İçərişəhər)
  [2, 49.376, 40.112], // Gobustan Rock Art Cultural Landscape
  [3, 47.197, 41.205], // Historic Centre of Sheki with the Khan's Palace
  [4, 48.76, 38.58],   // Hyrcanian Forests: the Lankaran and Astara districts
  [5, 48.126, 41.18],  // Khinalig
]);

// The State Migration Service's regional migration departments, in the order of the page.
draw("migration-departments", [
  [1, 49.867, 40.409], // Baku
  [2, 47.15, 40.618],  // Yevlakh
  [3, 48.80, 41.464],  // Khachmaz
  [4, 48.851, 38.754], // Lankaran
  [5, 48.926, 39.932], // Shirvan
  [6, 47.17, 41.192],  // Sheki
  [7, 46.361, 40.683], // Ganja
  [8, 48.40, 40.569],  // Aghsu
]);

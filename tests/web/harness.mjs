// What the browser tests share: Debian's chromium launched through playwright-core
// (executablePath given: no browser is ever downloaded), autoplay allowed, every request
// that leaves the page's origin recorded, page errors counted as failures, and the
// exit status set from the outcome. NODE_PATH points at a node_modules with
// playwright-core (tests/preview_web.rs sets it).

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

// Runs `body(page, external)` on a new page of a headless chromium, where `external`
// collects the addresses of requests outside `url`'s origin; prints `done` on success,
// the failures and exit status 1 otherwise.
export async function inBrowser(url, executablePath, body, done) {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--autoplay-policy=no-user-gesture-required", "--no-sandbox"],
  });
  const failures = [];
  try {
    const page = await browser.newPage();
    const external = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(new URL(url).origin)) external.push(r.url());
    });
    page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
    await body(page, external);
  } catch (e) {
    failures.push(e.stack || String(e));
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.error(failures.join("\n"));
    process.exit(1);
  }
  console.log(done);
}

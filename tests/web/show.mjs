// The show preview (a batch output folder) in a real browser: Debian's chromium,
// driven by playwright-core (launched with executablePath: no browser is downloaded).
//
//   node tests/web/show.mjs URL CHROMIUM EPISODES SCREENSHOT
//
// Loads the page, checks the episode list, plays an episode and checks that the
// highlighted cue follows the audio element's clock, clicks a cue and checks that
// playback moves there, moves by chapter and changes the speed with the keys, opens
// the other episode, takes a screenshot, and checks that a request without the token
// is refused. Run by tests/preview_web.rs (NODE_PATH points at playwright-core).

import assert from "node:assert/strict";

import { inBrowser } from "./harness.mjs";

const [url, executablePath, episodes, screenshot] = process.argv.slice(2);

await inBrowser(url, executablePath, async (page, external) => {
  await page.goto(url);
  await page.waitForSelector(".s[data-i='2']");
  const state = () => page.evaluate(() => window.articast.state());
  const first = await state();
  assert.equal(first.episodes, Number(episodes), "every episode is listed");
  assert.equal(first.episode, 0);
  assert.ok(first.cues > 3, `cues: ${first.cues}`);
  assert.ok(first.chapters >= 2, `chapters: ${first.chapters}`);

  // Play: the highlight follows the audio element's clock.
  await page.evaluate(() => document.getElementById("audio").play());
  await page.waitForFunction(() => window.articast.state().current >= 1, null, { timeout: 30000 });
  const playing = await state();
  assert.ok(playing.playing, "playing");
  const start = await page.evaluate((n) => window.articast.cueStart(n), playing.current);
  assert.ok(playing.time + 0.1 >= start, `the cue heard (${playing.current}, from ${start}) has begun at ${playing.time}`);
  const highlighted = await page.$eval(".s.now", (el) => Number(el.dataset.i));
  assert.equal(highlighted, playing.current, "the highlighted cue is the one heard");

  // A click on a cue seeks there, and playback goes on from it.
  const target = Math.min(first.cues - 2, 5);
  await page.click(`.s[data-i='${target}']`);
  await page.waitForFunction((t) => window.articast.state().current === t, target, { timeout: 15000 });
  await page.waitForFunction((t) => window.articast.state().current === t + 1, target, { timeout: 30000 });

  // Keys: ↓ moves to the next chapter, + speeds up, space pauses.
  const before = (await state()).chapter;
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction((c) => window.articast.state().chapter === c + 1, before, { timeout: 15000 });
  await page.keyboard.press("+");
  assert.equal((await state()).speed.toFixed(1), "1.1");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => !window.articast.state().playing, null, { timeout: 5000 });

  // The other episode opens from the list.
  await page.click("#episodes li:nth-child(2) a");
  await page.waitForFunction(() => window.articast.state().episode === 1, null, { timeout: 15000 });
  await page.waitForFunction(() => window.articast.state().current >= 0, null, { timeout: 30000 });
  assert.ok(await page.$eval("#episodes li.now", (li) => li.dataset.episode === "1"));

  await page.screenshot({ path: screenshot, fullPage: false });
  assert.deepEqual(external, [], "no request leaves the preview's origin");

  const origin = new URL(url).origin;
  const refused = await page.evaluate((o) => fetch(`${o}/show.json`).then((r) => r.status), origin);
  assert.equal(refused, 403);
}, "show preview: episodes, playback, highlight, click to seek, chapter and speed keys, token: OK");

// The web preview in a real browser: Debian's chromium, driven by playwright-core
// (launched with executablePath: no browser is ever downloaded).
//
//   node tests/web/preview.mjs URL CHROMIUM LEXICON_FILE SCREENSHOT
//
// Loads the page, starts playback, checks that the highlight follows the audio clock,
// clicks a sentence and checks that playback moves there, fixes a word's pronunciation
// through the page and checks the lexicon file and the re-made sentence, takes a
// screenshot, and checks that a request without the token is refused. Run by
// tests/preview_web.rs (NODE_PATH points at a node_modules with playwright-core).

import assert from "node:assert/strict";
import fs from "node:fs";

import { inBrowser } from "./harness.mjs";

const [url, executablePath, lexiconFile, screenshot] = process.argv.slice(2);

await inBrowser(url, executablePath, async (page, external) => {
  await page.goto(url);
  await page.waitForSelector(".s[data-i='1']");
  const state = () => page.evaluate(() => window.articast.state());
  const sentences = (await state()).sentences;
  assert.ok(sentences > 5, `sentences: ${sentences}`);

  // Playback starts and the highlight advances with the audio clock.
  await page.click("#play");
  await page.waitForFunction(() => window.articast.state().current >= 1, null, { timeout: 30000 });
  const playing = await state();
  assert.ok(playing.playing, "playing");
  assert.ok(playing.time > 0.5, `audio clock at ${playing.time}`);
  const highlighted = await page.$eval(".s.now", (el) => Number(el.dataset.i));
  assert.equal(highlighted, playing.current, "the highlighted sentence is the one heard");

  // A click on a sentence plays from there.
  const target = Math.min(sentences - 2, 6);
  await page.click(`.s[data-i='${target}']`);
  await page.waitForFunction((t) => window.articast.state().current === t, target, { timeout: 15000 });
  await page.waitForFunction((t) => window.articast.state().current === t + 1, target, { timeout: 30000 });

  // A chapter in the list plays from its first sentence.
  await page.click("#chapters li:nth-child(2) a");
  const second = await page.evaluate(() => document.querySelectorAll("#chapters li")[1].dataset.chapter);
  await page.waitForFunction(
    (c) => document.querySelector(".s.now") && window.articast.state().current >= 0
      && document.querySelector("#chapters li.now")?.dataset.chapter === c,
    second,
    { timeout: 15000 },
  );

  // Fix a pronunciation: select the word, say how, save; the lexicon file has it and
  // the sentence with the word is made again and played.
  // Selects a word in the first sentence that has it, as a user's drag does, and
  // returns that sentence's number.
  const selectWord = (word) => page.evaluate((w) => {
    const el = [...document.querySelectorAll(".s")].find((s) => s.textContent.includes(w));
    const text = el.firstChild;
    const at = text.textContent.indexOf(w);
    const range = document.createRange();
    range.setStart(text, at);
    range.setEnd(text, at + w.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    el.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    return Number(el.dataset.i);
  }, word);
  const index = await selectWord("Moreno");
  await page.waitForSelector("#fix:not([hidden])");
  assert.equal(await page.textContent("#fix-word"), "Moreno");
  await page.fill("#fix-say", "Mo ray no");
  const saved = page.waitForResponse((r) => r.url().endsWith("/lexicon") && r.status() === 200);
  await page.click("#fix-save");
  const report = await (await saved).json();
  assert.deepEqual(report.changed, [index]);
  assert.match(fs.readFileSync(lexiconFile, "utf8"), /Moreno = "Mo ray no"/);
  await page.waitForFunction((i) => window.articast.state().revision === 1
      && window.articast.state().current === i, index, { timeout: 15000 });
  const title = await page.getAttribute(`.s[data-i='${index}']`, "title");
  assert.match(title, /Mo ray no/, "the sentence is said the new way");
  assert.match(await page.textContent("#status"), /1 sentence made again/);

  // The same word in IPA: the form's choice, the lexicon's [ipa] table, the sentence
  // made again and said with the IPA shown.
  assert.equal(await selectWord("Moreno"), index);
  await page.waitForSelector("#fix:not([hidden])");
  await page.selectOption("#fix-form-kind", "ipa");
  assert.match(await page.getAttribute("#fix-say", "placeholder"), /IPA/);
  // The field starts from how the engine says the word now.
  await page.waitForFunction(() => /^[^A-Z]*m[^A-Z]*n/.test(document.querySelector("#fix-say").value),
    null, { timeout: 5000 });
  await page.fill("#fix-say", "moˈɾeno");
  const savedIpa = page.waitForResponse((r) => r.url().endsWith("/lexicon") && r.status() === 200);
  await page.click("#fix-save");
  assert.deepEqual((await (await savedIpa).json()).changed, [index]);
  assert.match(fs.readFileSync(lexiconFile, "utf8"), /\[ipa\]\nMoreno = "moˈɾeno"/);
  await page.waitForFunction((i) => window.articast.state().revision === 2
      && window.articast.state().current === i, index, { timeout: 15000 });
  assert.match(await page.getAttribute(`.s[data-i='${index}']`, "title"), /Moreno \/moˈɾeno\//);

  // Keys: space pauses.
  await page.keyboard.press("Space");
  await page.waitForFunction(() => !window.articast.state().playing, null, { timeout: 5000 });

  await page.screenshot({ path: screenshot, fullPage: false });
  assert.deepEqual(external, [], "no request leaves the preview's origin");

  // Without the token: refused.
  const origin = new URL(url).origin;
  const refused = await page.evaluate((o) => fetch(`${o}/script.json`).then((r) => r.status), origin);
  assert.equal(refused, 403);
}, "web preview: playback, highlight, click to seek, chapters, pronunciation fix, keys, token: OK");

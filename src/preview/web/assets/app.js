// articast web preview: the transcript with the sentence being spoken highlighted,
// sentences fetched as WAV clips a few ahead and scheduled back to back with the Web
// Audio API, a click on a sentence or chapter plays from there, and a word selected in
// the transcript can be given a pronunciation that is saved and heard at once.
"use strict";

const AHEAD_SECS = 4; // audio scheduled ahead of what is heard
const FETCH_AHEAD = 3; // clips fetched ahead of the one scheduled next
const SPEEDS = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0];

const $ = (id) => document.getElementById(id);
const state = {
  script: null,
  revision: 0,
  speed: 1.0,
  ctx: null,
  generation: 0,
  playing: false,
  current: -1,
  scheduled: [], // {index, start, end, source}
  buffers: new Map(), // "revision:speed:index" -> Promise<AudioBuffer>
  changed: new Set(),
};

function status(text) {
  $("status").textContent = text;
}

async function loadScript() {
  const response = await fetch("script.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`script.json: ${response.status}`);
  state.script = await response.json();
  state.revision = state.script.revision;
  state.buffers.clear();
  render();
}

function render() {
  const { script } = state;
  document.title = `${script.name} · articast preview`;
  $("name").textContent = script.name;
  $("fix-file").textContent = script.lexicon;
  const toc = $("chapters").querySelector("ol");
  toc.replaceChildren();
  const transcript = $("transcript");
  transcript.replaceChildren();
  script.chapters.forEach((chapter, c) => {
    const li = document.createElement("li");
    li.dataset.chapter = c;
    const a = document.createElement("a");
    a.href = "#";
    a.textContent = chapter.title || `Chapter ${c + 1}`;
    a.addEventListener("click", (e) => {
      e.preventDefault();
      play(chapter.first);
    });
    li.append(a);
    toc.append(li);
  });
  // Headings are sentences too (they are spoken); each source line is a paragraph.
  let paragraph = null;
  let line = -1;
  script.sentences.forEach((s, i) => {
    if (s.heading) {
      paragraph = document.createElement("h2");
      transcript.append(paragraph);
      line = -1;
    } else if (!paragraph || s.line !== line || paragraph.tagName === "H2") {
      paragraph = document.createElement("p");
      transcript.append(paragraph);
      line = s.line;
    }
    const span = document.createElement("span");
    span.className = "s";
    if (state.changed.has(i)) span.classList.add("changed");
    span.dataset.i = i;
    span.textContent = s.written;
    span.title = s.spoken === s.written ? "" : `said: ${readable(s.spoken)}`;
    paragraph.append(span, " ");
  });
  highlight(state.current);
}

function clip(index) {
  const key = `${state.revision}:${state.speed}:${index}`;
  if (!state.buffers.has(key)) {
    const url = `clip/${index}.wav?speed=${state.speed}&rev=${state.revision}`;
    const promise = fetch(url, { cache: "no-store" })
      .then((r) => {
        if (!r.ok) return r.text().then((t) => Promise.reject(new Error(t || r.status)));
        return r.arrayBuffer();
      })
      .then((bytes) => state.ctx.decodeAudioData(bytes));
    state.buffers.set(key, promise);
    promise.catch(() => state.buffers.delete(key));
  }
  return state.buffers.get(key);
}

function stopAll() {
  state.generation += 1;
  for (const s of state.scheduled) {
    try {
      s.source.stop();
    } catch (_) {
      // already stopped
    }
  }
  state.scheduled = [];
}

async function play(from) {
  const n = state.script.sentences.length;
  from = Math.max(0, Math.min(n - 1, from));
  if (!state.ctx) state.ctx = new AudioContext();
  stopAll();
  await state.ctx.resume();
  state.playing = true;
  $("play").textContent = "Pause";
  const generation = state.generation;
  let at = state.ctx.currentTime + 0.05;
  state.current = from;
  highlight(from);
  for (let i = from; i < n; i++) {
    for (let k = 1; k <= FETCH_AHEAD && i + k < n; k++) clip(i + k);
    let buffer;
    try {
      buffer = await clip(i);
    } catch (e) {
      status(`sentence ${i + 1}: ${e.message}`);
      return;
    }
    if (generation !== state.generation) return;
    const source = state.ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(state.ctx.destination);
    at = Math.max(at, state.ctx.currentTime);
    source.start(at);
    state.scheduled.push({ index: i, start: at, end: at + buffer.duration, source });
    at += buffer.duration;
    while (generation === state.generation && at - state.ctx.currentTime > AHEAD_SECS) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (generation !== state.generation) return;
  }
}

function togglePause() {
  if (!state.ctx || state.current < 0) return play(Math.max(0, state.current));
  if (state.ctx.state === "running") {
    state.ctx.suspend();
    state.playing = false;
    $("play").textContent = "Play";
  } else {
    state.ctx.resume();
    state.playing = true;
    $("play").textContent = "Pause";
  }
}

function highlight(index) {
  document.querySelectorAll(".s.now").forEach((el) => el.classList.remove("now"));
  document.querySelectorAll("#chapters li.now").forEach((el) => el.classList.remove("now"));
  const el = document.querySelector(`.s[data-i="${index}"]`);
  if (el) {
    el.classList.add("now");
    el.scrollIntoView({ block: "nearest", behavior: "smooth" });
    const chapter = state.script.sentences[index].chapter;
    document.querySelector(`#chapters li[data-chapter="${chapter}"]`)?.classList.add("now");
  }
  const n = state.script ? state.script.sentences.length : 0;
  $("where").textContent = index >= 0 ? `sentence ${index + 1} of ${n} · ×${state.speed.toFixed(1)}` : "";
}

// What is heard now, from the audio clock.
function tick() {
  if (state.ctx && state.scheduled.length) {
    const t = state.ctx.currentTime;
    const now = state.scheduled.find((s) => s.start <= t && t < s.end);
    if (now && now.index !== state.current) {
      state.current = now.index;
      highlight(now.index);
    }
    state.scheduled = state.scheduled.filter((s) => s.end > t - 1);
    const last = state.scheduled[state.scheduled.length - 1];
    if (last && t >= last.end && last.index === state.script.sentences.length - 1) {
      state.playing = false;
      $("play").textContent = "Play";
    }
  }
  requestAnimationFrame(tick);
}

function setSpeed(speed) {
  speed = Math.round(Math.max(0.5, Math.min(2, speed)) * 10) / 10;
  if (speed === state.speed) return;
  state.speed = speed;
  $("speed").value = speed.toFixed(1);
  highlight(state.current);
  if (state.playing) play(state.current);
}

function chapterStart(step) {
  const { sentences, chapters } = state.script;
  const at = Math.max(0, state.current);
  const chapter = sentences[at].chapter;
  if (step > 0) return chapters[chapter + 1]?.first ?? at;
  const first = chapters[chapter].first;
  return at > first || chapter === 0 ? first : chapters[chapter - 1].first;
}

// Spoken text with its phoneme spans (words the lexicon gives in IPA, `⟦word|ipa⟧`,
// spaces as `‿`) shown as the word and its IPA between slashes.
function readable(spoken) {
  return spoken.replace(/⟦([^⟧|]*)\|([^⟧]*)⟧/g,
    (_, word, ipa) => `${word.replaceAll("‿", " ")} /${ipa.replaceAll("‿", " ")}/`);
}

function openFix(word) {
  $("fix-word").textContent = word;
  $("fix-say").value = "";
  $("fix").hidden = false;
  $("fix-say").focus();
  startFix();
}

// The field for the form chosen: in IPA, it starts from how the engine says the word now.
async function startFix() {
  const ipa = $("fix-form-kind").value === "ipa";
  $("fix-say").placeholder = ipa ? "IPA, such as ˌkuːbɚˈnɛtiːz" : "write it as it sounds";
  if (!ipa || $("fix-say").value.trim()) return;
  const word = $("fix-word").textContent;
  const response = await fetch("ipa", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ word }),
  });
  if (response.ok && !$("fix-say").value.trim() && $("fix-word").textContent === word) {
    $("fix-say").value = (await response.json()).ipa;
  }
}

async function saveFix(event) {
  event.preventDefault();
  const word = $("fix-word").textContent;
  const say = $("fix-say").value.trim();
  const form = $("fix-form-kind").value;
  if (!say) return;
  status("saving…");
  const response = await fetch("lexicon", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ word, say, form }),
  });
  const text = await response.text();
  if (!response.ok) {
    status(`not saved: ${text}`);
    return;
  }
  const report = JSON.parse(text);
  state.changed = new Set(report.changed);
  $("fix").hidden = true;
  await loadScript();
  const n = report.changed.length;
  status(`“${word}” → “${say}” saved to ${report.lexicon}; ${n} sentence${n === 1 ? "" : "s"} made again`);
  const hear = report.changed.includes(state.current) || report.changed.length === 0
    ? Math.max(0, state.current)
    : report.changed[0];
  play(hear);
}

function init() {
  for (const s of SPEEDS) {
    const o = document.createElement("option");
    o.value = s.toFixed(1);
    o.textContent = `×${s.toFixed(1)}`;
    $("speed").append(o);
  }
  $("speed").value = "1.0";
  $("speed").addEventListener("change", (e) => setSpeed(parseFloat(e.target.value)));
  $("play").addEventListener("click", togglePause);
  $("prev").addEventListener("click", () => play(state.current - 1));
  $("next").addEventListener("click", () => play(state.current + 1));
  $("transcript").addEventListener("click", (e) => {
    const el = e.target.closest(".s");
    if (el && !String(window.getSelection()).trim()) play(parseInt(el.dataset.i, 10));
  });
  $("transcript").addEventListener("mouseup", () => {
    const word = String(window.getSelection()).trim();
    if (word && word.length <= 100 && !word.includes("\n")) openFix(word);
  });
  $("fix-form").addEventListener("submit", saveFix);
  $("fix-cancel").addEventListener("click", () => ($("fix").hidden = true));
  $("fix-form-kind").addEventListener("change", startFix);
  $("fix-spell").addEventListener("click", () => {
    $("fix-form-kind").value = "words";
    $("fix-say").value = $("fix-word").textContent.split("").filter((c) => c.trim()).join(" ");
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, textarea") || !state.script) return;
    const keys = {
      " ": () => togglePause(),
      ArrowRight: () => play(state.current + 1),
      ArrowLeft: () => play(state.current - 1),
      ArrowDown: () => play(chapterStart(1)),
      ArrowUp: () => play(chapterStart(-1)),
      "+": () => setSpeed(state.speed + 0.1),
      "=": () => setSpeed(state.speed + 0.1),
      "-": () => setSpeed(state.speed - 0.1),
    };
    if (keys[e.key]) {
      e.preventDefault();
      keys[e.key]();
    }
  });
  loadScript()
    .then(() => status("ready: press Play, or click any sentence"))
    .catch((e) => status(`could not load the script: ${e.message}`));
  requestAnimationFrame(tick);
}

// For tests and the console.
window.articast = {
  state: () => ({
    current: state.current,
    playing: state.playing,
    revision: state.revision,
    speed: state.speed,
    time: state.ctx ? state.ctx.currentTime : 0,
    sentences: state.script ? state.script.sentences.length : 0,
  }),
  play,
};

init();

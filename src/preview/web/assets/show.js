// articast show preview: the episodes of an output folder, each played by the
// browser's audio element (the file is served in ranges, so seeking is immediate),
// with its transcript's cues highlighted as they are heard, chapters and cues that
// seek when clicked, and the terminal preview's keys. The browser keeps the pitch when
// the speed changes.
"use strict";

const SPEEDS = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0];
const $ = (id) => document.getElementById(id);
const audio = $("audio");
const state = { show: null, episode: -1, view: null, current: -1, chapter: -1 };

function status(text) {
  $("status").textContent = text;
}

function clock(secs) {
  if (!Number.isFinite(secs)) return "--:--";
  const s = Math.floor(secs);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

async function json(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function loadShow() {
  state.show = await json("show.json");
  document.title = `${state.show.name} · articast preview`;
  $("name").textContent = state.show.name;
  const list = $("episodes");
  list.replaceChildren();
  state.show.episodes.forEach((e, i) => {
    const li = document.createElement("li");
    li.dataset.episode = i;
    const a = document.createElement("a");
    a.href = `#${i}`;
    a.textContent = e.title;
    const meta = document.createElement("small");
    const day = e.published && !Number.isNaN(Date.parse(e.published)) ? new Date(e.published).toISOString().slice(0, 10) : "";
    meta.textContent = [day, e.duration_secs ? clock(e.duration_secs) : ""]
      .filter(Boolean).join(" · ");
    li.append(a, " ", meta);
    list.append(li);
  });
}

// Index of the last item of `list` whose `start` is at or before `t` (-1: none).
function at(list, t) {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start <= t + 1e-3) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

async function openEpisode(i, autoplay) {
  if (!state.show || i < 0 || i >= state.show.episodes.length) return;
  state.episode = i;
  state.view = await json(`episode/${i}.json`);
  state.current = -1;
  state.chapter = -1;
  audio.src = state.view.audio;
  audio.playbackRate = Number($("speed").value);
  document.querySelectorAll("#episodes li").forEach((li) => {
    li.classList.toggle("now", Number(li.dataset.episode) === i);
  });
  const toc = $("chapters").querySelector("ol");
  toc.replaceChildren();
  state.view.chapters.forEach((c, n) => {
    const li = document.createElement("li");
    li.dataset.chapter = n;
    const a = document.createElement("a");
    a.href = "#";
    a.textContent = `${c.title} (${clock(c.start)})`;
    a.addEventListener("click", (e) => {
      e.preventDefault();
      seek(c.start);
    });
    li.append(a);
    toc.append(li);
  });
  const transcript = $("transcript");
  transcript.replaceChildren();
  if (state.view.cues.length === 0) {
    const heading = document.createElement("h2");
    heading.textContent = state.view.title;
    const note = document.createElement("p");
    note.textContent = "No transcript beside this episode: ← and → move by 15 seconds.";
    transcript.append(heading, note);
  }
  // A new paragraph at each chapter, its spoken title as a heading, so the
  // transcript reads like the article.
  let paragraph = null;
  let chapter = -2;
  state.view.cues.forEach((cue, n) => {
    const c = at(state.view.chapters, cue.start);
    const title = c >= 0 && state.view.chapters[c].title.trim() === cue.text.trim();
    if (!paragraph || c !== chapter || title || paragraph.tagName === "H3") {
      paragraph = document.createElement(title ? "h3" : "p");
      transcript.append(paragraph);
      chapter = c;
    }
    const span = document.createElement("span");
    span.className = "s";
    span.dataset.i = n;
    span.textContent = cue.text;
    span.addEventListener("click", () => seek(cue.start));
    paragraph.append(span, " ");
  });
  status(state.view.notes.length ? state.view.notes.join("; ") : "ready: press play, or click any sentence");
  if (autoplay) audio.play().catch((e) => status(`press play to start (${e.message})`));
}

function seek(t) {
  audio.currentTime = Math.max(0, t);
  if (audio.paused) audio.play().catch((e) => status(`press play to start (${e.message})`));
}

function step(delta) {
  const cues = state.view ? state.view.cues : [];
  if (cues.length === 0) {
    seek(audio.currentTime + delta * 15);
    return;
  }
  const next = Math.min(cues.length - 1, Math.max(0, state.current + delta));
  seek(cues[next].start);
}

function stepChapter(delta) {
  const chapters = state.view ? state.view.chapters : [];
  if (chapters.length === 0) return;
  const next = Math.min(chapters.length - 1, Math.max(0, state.chapter + delta));
  seek(chapters[next].start);
}

function setSpeed(speed) {
  const s = Math.min(2, Math.max(0.5, Math.round(speed * 10) / 10));
  $("speed").value = s.toFixed(1);
  audio.playbackRate = s;
}

function tick() {
  if (state.view) {
    const t = audio.currentTime;
    const current = at(state.view.cues, t);
    if (current !== state.current) {
      document.querySelector(".s.now")?.classList.remove("now");
      const span = document.querySelector(`.s[data-i='${current}']`);
      if (span) {
        span.classList.add("now");
        span.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
      state.current = current;
    }
    const chapter = at(state.view.chapters, t);
    if (chapter !== state.chapter) {
      document.querySelectorAll("#chapters li").forEach((li) => {
        li.classList.toggle("now", Number(li.dataset.chapter) === chapter);
      });
      state.chapter = chapter;
    }
    const cues = state.view.cues.length;
    $("where").textContent = `${clock(t)} / ${clock(audio.duration || state.view.duration_secs)}`
      + (cues ? ` · sentence ${Math.max(0, current) + 1} of ${cues}` : "");
  }
  requestAnimationFrame(tick);
}

function fromHash() {
  const i = Number(location.hash.slice(1));
  return Number.isInteger(i) && i >= 0 ? i : 0;
}

function start() {
  for (const s of SPEEDS) {
    const option = document.createElement("option");
    option.value = s.toFixed(1);
    option.textContent = `${s.toFixed(1)}×`;
    if (s === 1.0) option.selected = true;
    $("speed").append(option);
  }
  $("speed").addEventListener("change", () => setSpeed(Number($("speed").value)));
  $("prev").addEventListener("click", () => step(-1));
  $("next").addEventListener("click", () => step(1));
  audio.addEventListener("ended", () => {
    if (state.episode + 1 < state.show.episodes.length) location.hash = `#${state.episode + 1}`;
  });
  audio.addEventListener("play", () => status(""));
  audio.addEventListener("error", () => status(`this episode cannot be played here: ${audio.error?.message || "unknown error"}`));
  window.addEventListener("hashchange", () => openEpisode(fromHash(), true).catch((e) => status(e.message)));
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, textarea, audio") || !state.view) return;
    const keys = {
      " ": () => (audio.paused ? audio.play() : audio.pause()),
      ArrowRight: () => step(1),
      ArrowLeft: () => step(-1),
      ArrowDown: () => stepChapter(1),
      ArrowUp: () => stepChapter(-1),
      "+": () => setSpeed(audio.playbackRate + 0.1),
      "=": () => setSpeed(audio.playbackRate + 0.1),
      "-": () => setSpeed(audio.playbackRate - 0.1),
    };
    if (keys[e.key]) {
      e.preventDefault();
      keys[e.key]();
    }
  });
  loadShow()
    .then(() => openEpisode(Math.min(fromHash(), state.show.episodes.length - 1), false))
    .catch((e) => status(`could not load the show: ${e.message}`));
  requestAnimationFrame(tick);
}

// For tests and the console.
window.articast = {
  state: () => ({
    episodes: state.show ? state.show.episodes.length : 0,
    episode: state.episode,
    cues: state.view ? state.view.cues.length : 0,
    chapters: state.view ? state.view.chapters.length : 0,
    current: state.current,
    chapter: state.chapter,
    time: audio.currentTime,
    playing: !audio.paused,
    speed: audio.playbackRate,
  }),
  cueStart: (n) => state.view.cues[n].start,
};

start();

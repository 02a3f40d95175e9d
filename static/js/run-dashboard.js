// A self-paced run's dashboard (templates/facilitator/run.html): draws its charts, and
// every `data-refresh` seconds fetches statistics.json (facilitator/run_views.py
// `statistics`) to update the numbers, the completion table and the chart in place, with
// no reload. The page is whole without it. No participant text comes this way: the
// moderation queue only says that new comments are waiting.

import { drawFigure } from "./live.js";

const body = document.body;
const source = body.dataset.statistics;
const seconds = Math.max(15, Number.parseInt(body.dataset.refresh || "20", 10) || 20);

function draw(element, figure) {
  if (!element || !figure) return;
  figure.layout = { ...(figure.layout || {}), autosize: true };
  delete figure.layout.width;
  drawFigure(element, figure);
}

function drawFromData(element) {
  if (!element) return;
  try {
    draw(element, JSON.parse(element.dataset.figure));
  } catch {
    // A figure that does not parse leaves its table to say the numbers.
  }
}

function valueAt(data, path) {
  return path.split(".").reduce((node, part) => (node == null ? node : node[part]), data);
}

function setText(data) {
  for (const element of document.querySelectorAll("[data-stat]")) {
    const value = valueAt(data, element.dataset.stat);
    if (value === undefined || value === null) continue;
    if (element.dataset.stat === "at") {
      element.dateTime = value;
      element.textContent = `${value.slice(11, 16)} UTC`;
    } else {
      element.textContent = String(value);
    }
  }
}

function setStages(stages) {
  for (const stage of stages) {
    const row = document.querySelector(`tr[data-stage="${stage.index}"]`);
    if (!row) continue;
    const answered = row.querySelector('[data-cell="answered"]');
    if (answered && stage.answered !== null) answered.textContent = String(stage.answered);
    const stopped = row.querySelector('[data-cell="stopped"]');
    if (stopped) stopped.textContent = String(stage.stopped);
    const bar = row.querySelector(".share-bar");
    const text = row.querySelector(".share-text");
    if (bar) bar.style.setProperty("--share", `${stage.share || 0}%`);
    if (text) text.textContent = stage.share === null ? "–" : `${stage.share} %`;
  }
}

let waiting = null;

function noteQueue(count) {
  const shown = document.querySelectorAll(".queue-item").length;
  if (waiting === null) waiting = count;
  const news = document.querySelector(".run-queue-news");
  // More waiting than when the page loaded, or than the list shows (it lists 100 at most).
  if (news) news.hidden = !(count > waiting || (shown < 100 && count > shown));
  const empty = document.querySelector(".run-queue-empty");
  if (empty && news) empty.hidden = !news.hidden;
}

async function refresh() {
  try {
    const response = await fetch(source, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    setText(data);
    setStages(data.stages || []);
    noteQueue(data.awaiting);
    draw(document.getElementById("timeline-chart"), data.timeline && data.timeline.figure);
    body.dataset.refreshed = data.at;
  } catch {
    // Offline for a moment: the numbers stay as they were until the next try.
  }
}

/** The framework profile, fetched once into its section (it takes seconds on a large
 * run, so the page does not wait for it). The server renders it with every text escaped. */
async function loadProfile() {
  const section = document.querySelector("[data-profile]");
  if (!section) return;
  const holder = section.querySelector(".run-profile-load");
  if (holder) holder.textContent = section.dataset.loadingWords || "…";
  try {
    const response = await fetch(section.dataset.profile, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const part = new DOMParser().parseFromString(await response.text(), "text/html");
    if (holder) holder.remove();
    section.append(...part.body.childNodes);
    drawFromData(section.querySelector("#profile-chart"));
  } catch {
    if (holder) holder.textContent = section.dataset.failedWords || "";
  }
}

drawFromData(document.getElementById("timeline-chart"));
drawFromData(document.getElementById("profile-chart"));
loadProfile();
if (source) window.setInterval(refresh, seconds * 1000);

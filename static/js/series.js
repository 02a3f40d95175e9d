// The series page: draws each stage's side-by-side figure, built on the server
// (facilitation/series/charts.py) and passed as JSON in the chart's data-figure.
// Every number is also in the table under the chart; nothing here is participant text.

import { drawFigure } from "./live.js";

function draw(element) {
  let figure;
  try {
    figure = JSON.parse(element.dataset.figure);
  } catch {
    return;
  }
  figure.layout = { ...(figure.layout || {}), autosize: true };
  delete figure.layout.width;
  const drawn = drawFigure(element, figure);
  if (drawn) drawn.then(() => element.classList.add("is-drawn"));
}

const charts = document.querySelectorAll(".series-chart[data-figure]");
if ("IntersectionObserver" in window) {
  // Draw a chart as it comes near the screen: a series of many stages opens quickly.
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        draw(entry.target);
      }
    },
    { rootMargin: "600px 0px" },
  );
  charts.forEach((chart) => observer.observe(chart));
} else {
  charts.forEach(draw);
}

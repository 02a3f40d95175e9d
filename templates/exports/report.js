// Draws each stage's chart from the figure JSON beside it. This script is inline on purpose:
// report.html is a downloaded file, opened from disk, not a page the app serves, so the app's
// Content Security Policy (no inline scripts) does not apply, and a file with no separate
// script is what keeps it self-contained. It reads only JSON and sets no HTML.
(function () {
  "use strict";
  var Plotly = window.Plotly;
  var PRINT_WIDTH = 680; // px: an A4 page's width inside its margins
  var charts = [];
  if (!Plotly) return; // the tables below each chart still carry every number

  var blocks = document.querySelectorAll('script[type="application/json"].figure-data');
  Array.prototype.forEach.call(blocks, function (block) {
    var target = document.getElementById(block.getAttribute("data-chart"));
    if (!target) return;
    var figure;
    try {
      figure = JSON.parse(block.textContent);
    } catch (error) {
      return;
    }
    charts.push(target);
    Plotly.newPlot(target, figure.data, figure.layout, {
      displayModeBar: false,
      responsive: true,
    });
  });

  // Charts are drawn at the screen's width; a printed page is narrower, so redraw them to
  // fit it while printing, and back afterwards.
  function fit(width) {
    charts.forEach(function (chart) {
      Plotly.relayout(chart, { width: width, autosize: width === null });
    });
  }
  window.addEventListener("beforeprint", function () { fit(PRINT_WIDTH); });
  window.addEventListener("afterprint", function () { fit(null); });
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    var follow = function (event) { fit(event.matches ? PRINT_WIDTH : null); };
    if (print.addEventListener) print.addEventListener("change", follow);
    else if (print.addListener) print.addListener(follow);
  }
})();

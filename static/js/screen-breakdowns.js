// The projector's breakdowns: results by sector or by table (the server's grouped figure,
// laid out for a 1920x1080 wall), and the comment wall as "where sectors agree / split"
// (facilitation/workshop/consensus.py). The types drawn as HTML show their own groups
// (activities/results/).

import { h } from "./live.js";
import { consensusLine, consensusOrder, consensusSummary } from "./consensus.js";
import { resultFor } from "./activities/results.js";

/**
 * The projector's chart colours and smallest type (px), from screen.css's custom
 * properties: a plan's theme sets them there, and the charts follow.
 */
export function chartStyle() {
  const style = getComputedStyle(document.body);
  const read = (name, otherwise) => style.getPropertyValue(name).trim() || otherwise;
  const probe = document.createElement("span"); // the smallest type in px, as the page has it
  probe.style.cssText = "position:absolute;visibility:hidden;font-size:var(--screen-min-type)";
  document.body.append(probe);
  const minType = parseFloat(getComputedStyle(probe).fontSize) || 28;
  // How much wider than usual the page's text runs (letter and word spacing a reader set,
  // WCAG 1.4.12): the charts' estimates of label widths are multiplied by it.
  probe.style.fontSize = "100px";
  probe.style.fontFamily = CHART_FONT;
  probe.style.whiteSpace = "nowrap";
  probe.textContent = SAMPLE;
  const measured = probe.getBoundingClientRect().width / SAMPLE.length / 100;
  probe.remove();
  return {
    ink: read("--screen-ink", "#0b0d10"),
    paper: read("--screen-paper", "#fff"),
    grid: read("--screen-grid", "#d0d0d0"),
    minType: Math.ceil(minType),
    spread: Math.max(1, measured / USUAL_CHAR_EM) || 1,
  };
}

// Plotly's type on the charts (facilitation/charts.py FONT), and a line of ordinary words
// whose characters are USUAL_CHAR_EM wide on average without extra spacing.
const CHART_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const SAMPLE = "Better outcomes for the people whose data is shared 2";
const USUAL_CHAR_EM = 0.56;

/** Whether `figure` is a breakdown (facilitation/charts_breakdown.py). */
export function isBreakdownFigure(figure) {
  return Boolean(figure && figure.layout && figure.layout.meta && figure.layout.meta.chart === "breakdown");
}

/**
 * The breakdown figure laid out for this screen: type in rem (as large as the bars leave
 * room for, from 0.8 to 1.5rem), the panel titles a step larger, legends in scale order.
 * Returns {data, layout} for screen.js to paint, or null when `figure` is no breakdown.
 *
 * Small multiples of bars (choice, ranking, points...) are laid out for this screen too:
 * option labels rewrapped to as few lines as the width allows (up to 45% of it), each
 * panel titled "Group · N people" on one line when it fits, the numbers beside every bar
 * (each panel's axis leaves them room) and the axis named once under all the panels. So
 * five long items in three panels keep type near the size of the other breakdowns.
 */
export function projectorBreakdown(figure, { width, height, rem, stage, style }) {
  if (!isBreakdownFigure(figure)) return null;
  const layout = figure.layout;
  const facets = facetBars(figure);
  const { ink, grid, minType, spread } = style;
  const fit = facets
    ? fitFacets(figure, facets, { width, height, rem, minType, spread })
    : fitShares(figure, { width, height, rem, minType, spread });
  const { size, titles, titleLines } = fit;
  const titleScale = fit.titleScale || 1.15; // the panels' titles a step larger, if room

  const data = figure.data.map((trace, index) => ({
    ...trace,
    ...(fit.traces ? fit.traces[index] : {}),
    name: resultFor(stage.type).legendName(stage, trace.name),
    textfont: { ...(trace.textfont || {}), size: fit.textSize || size },
    textangle: 0,
    // The server picks white or ink for each bar colour (charts.py text_on): WCAG 1.4.3.
    insidetextfont: { color: "#fff", ...(trace.insidetextfont || {}), size: fit.textSize || size },
    outsidetextfont: { size: fit.textSize || size, color: ink },
  }));
  const annotations = (layout.annotations || []).map((a, index) => ({
    ...a,
    ...(fit.titleAt && fit.titleAt[index] ? fit.titleAt[index] : {}),
    text: titles[index],
    font: { ...(a.font || {}), size: Math.round(size * titleScale), color: ink },
  }));
  if (fit.axisTitle) {
    // The axis, named once under all the panels.
    annotations.push({
      text: fit.axisTitle,
      xref: "paper",
      yref: "paper",
      x: 0.5,
      y: 0,
      xanchor: "center",
      yanchor: "top",
      yshift: -Math.round(size * 1.5),
      showarrow: false,
      font: { size, color: ink },
    });
  }
  const axes = gridColoured({ ...layout, ...(fit.axes || {}) }, grid);
  const dots = !facets && !resultFor(layout.meta.activity).groupShares; // the grid's panels
  if (dots) {
    // The server sized the dots for its own height: in proportion for this one. Its axes
    // are the same in every panel: named at the left of each row only.
    const scale = Math.min(1.5, height / (layout.height || height));
    data.forEach((trace, index) => {
      const size = trace.marker?.size;
      const resized = Array.isArray(size) ? size.map((n) => n * scale) : size && size * scale;
      data[index] = {
        ...trace,
        ...(size ? { marker: { ...trace.marker, size: resized } } : {}),
        ...(trace.name ? {} : { showlegend: false }),
      };
    });
    for (const name of axisNames(axes, "y")) {
      const across = axes[`x${name.slice(1)}`];
      if (across && across.domain && across.domain[0] > 0.01) {
        axes[name] = { ...axes[name], title: { text: "" }, showticklabels: false };
      }
    }
  }
  return {
    data,
    layout: {
      ...layout,
      ...axes,
      annotations,
      font: { ...(layout.font || {}), size, color: ink },
      // A number too long for its bar segment is left off rather than shrunk past legible.
      uniformtext: { mode: "hide", minsize: minType },
      // The legend at the very top, the panels' titles under it, then the bars.
      legend: {
        ...(layout.legend || {}),
        font: { size },
        traceorder: "normal",
        orientation: "h",
        yref: "container",
        y: 1,
        yanchor: "top",
        x: 0,
        xanchor: "left",
      },
      margin: {
        l: 20,
        r: Math.round(2.5 * rem),
        t: Math.round(
          (layout.showlegend === false ? 0.4 * rem : size * 1.5 + 0.8 * rem) +
            (annotations.length ? titleLines * Math.round(size * titleScale) * 1.3 + 0.3 * rem : 0),
        ),
        b: Math.round(
          fit.axisTitle
            ? size * 1.6 + fit.axisTitle.split("<br>").length * size * 1.3 + 0.3 * rem
            : 1.5 * rem,
        ),
      },
      width,
      height,
      autosize: false,
    },
  };
}

/** Every axis of `layout`, its grid lines in `colour`. */
function gridColoured(layout, colour) {
  const axes = {};
  for (const name of [...axisNames(layout, "x"), ...axisNames(layout, "y")]) {
    axes[name] = { ...layout[name], gridcolor: colour };
  }
  return axes;
}

const plain = (text) => String(text).replace(/<br>/g, " ").replace(/<\/?b>/g, "");

function axisNames(layout, kind) {
  return Object.keys(layout).filter((name) => new RegExp(`^${kind}axis\\d*$`).test(name));
}

/** The small multiples' horizontal bars, or null for the share figure and the grid. */
function facetBars(figure) {
  if (resultFor(figure.layout.meta.activity).groupShares) return null;
  const bars = figure.data.filter((t) => t.type === "bar" && t.orientation === "h");
  return bars.length ? bars : null;
}

/**
 * Traffic lights and ratings: the server's labels (group over people) as they are, the
 * panels re-placed for this screen. Each statement's title wraps inside its own panel,
 * rows of panels leave room for the next row's titles and their own tick labels, and
 * four statements may sit in one row when that gives larger type than two rows.
 */
function fitShares(figure, { width, height, rem, minType, spread }) {
  const layout = figure.layout;
  const rowsPerAxis = new Map();
  let longestLine = 8;
  let longestLabel = 8;
  for (const trace of figure.data) {
    const axis = trace.yaxis || "y";
    const labels = rowsPerAxis.get(axis) || new Set();
    for (const label of trace.y || []) {
      labels.add(label);
      longestLabel = Math.max(longestLabel, oneLine(label).length);
      for (const line of String(label).replace(/<[^>]+>/g, "\n").split("\n")) {
        longestLine = Math.max(longestLine, line.length);
      }
    }
    rowsPerAxis.set(axis, labels);
  }
  const groups = Math.max(1, ...Array.from(rowsPerAxis.values(), (labels) => labels.size));
  const panels = Math.max(1, rowsPerAxis.size); // the grid's last row may have empty places
  const serverColumns = Math.max(1, countColumns(layout));
  const titles = layout.annotations || [];
  const parts = layout.meta.titles || []; // each title's lines, before wrapping
  const words = titles.flatMap((a, i) => (parts[i] || [plain(a.text)]).join(" ").split(/\s+/));
  const longestWord = Math.max(0, ...words.map((word) => word.length));
  const hasAxisTitle = axisNames(layout, "x").some((name) => layout[name]?.title?.text);
  // The largest type at which the group labels keep to ~30% of the width, every title
  // wraps inside its panel above the bars, and each bar has room for its label: two lines
  // (group over people) or, where rows are short, one ("Health · 3 people").
  const layoutAt = (columns, lines) => (px) => {
    const panelRows = Math.ceil(panels / columns);
    const labelWidth = (lines === 1 ? longestLabel : longestLine) * 0.62 * spread * px + 0.5 * px;
    const plotWidth = width - 20 - 2.5 * rem - labelWidth;
    const gap = 3.4 * px; // "100%" of one panel and "0%" of the next stay a type size apart
    const panelWidth = (plotWidth - gap * (columns - 1)) / columns;
    // A title may reach a little into the gap beside its panel.
    const perLine = Math.floor((panelWidth + 0.4 * gap) / (px * 0.64 * spread));
    const wrapped = titles.map((a, i) => {
      const lines = (parts[i] || [plain(a.text)]).map((line) => wrapWords(line, perLine));
      return `<b>${lines.join("<br>")}</b>`;
    });
    const titleLines = Math.max(0, ...wrapped.map((t) => t.split("<br>").length));
    // As projectorBreakdown's top margin: the legend, then the first row's titles.
    const titleBlock = titles.length ? titleLines * px * 1.3 + 0.3 * rem : 0;
    const legend = layout.showlegend === false ? 0.4 * rem : px * 1.5 + 0.8 * rem;
    const plotHeight = height - legend - titleBlock - 1.5 * rem;
    const tickBlock = px * 1.6 + (hasAxisTitle ? px * 1.6 : 0);
    const bars = (plotHeight - panelRows * tickBlock - (panelRows - 1) * titleBlock) / panelRows;
    // How much of the height each bar needs that it gets (1 or more: it fits).
    const room = bars / groups / (px * (lines * 1.3 + 0.4)); // Plotly: 1.3em a line
    const fits = room >= 1 && labelWidth <= 0.3 * width && longestWord <= perLine;
    const place = { columns, panels, plotWidth, plotHeight, gap, titleBlock, tickBlock };
    return { titles: wrapped, titleLines, fits, room, place, lines };
  };
  const columnChoices = [serverColumns];
  if (panels > serverColumns && panels <= 4) columnChoices.push(panels); // one row of four
  let fitted = null;
  for (const [columns, lines] of [2, 1].flatMap((n) => columnChoices.map((c) => [c, n]))) {
    const candidate = largestFit(layoutAt(columns, lines), rem, minType);
    // What fits at the largest type; failing that, what comes nearest to fitting.
    const better =
      !fitted ||
      (candidate.fits && !fitted.fits) ||
      (candidate.fits && candidate.size > fitted.size) ||
      (!candidate.fits && !fitted.fits && candidate.room > fitted.room);
    if (better) fitted = candidate;
  }
  const { axes, titleAt } = placePanels(layout, fitted.place);
  const traces =
    fitted.lines === 1 ? figure.data.map((trace) => ({ y: (trace.y || []).map(oneLine) })) : null;
  // Long statements as titles: in the bars' type (bold), so they take fewer lines.
  return { ...fitted, axes, titleAt, traces, titleScale: 1 };
}

/** A group's label ("<b>Health</b><br>3 people") on one line: "<b>Health</b> · 3 people". */
function oneLine(label) {
  return String(label).replace(/<br>/g, " · ");
}

/**
 * The panels of a grid figure (panel i on xaxis i and yaxis i, row by row) placed in a
 * plot area of `plotWidth` x `plotHeight` px, the first `panels` in `columns`: columns `gap` px apart, and
 * rows with `titleBlock` px above each for its panels' titles (the first row's sit in the
 * top margin) and `tickBlock` px below for its tick labels. The groups are named at the
 * left of each row only; the grid's empty places are hidden. Returns the axes and where
 * each panel's title goes.
 */
export function placePanels(
  layout,
  { columns, panels, plotWidth, plotHeight, gap, titleBlock, tickBlock },
) {
  const names = axisNames(layout, "x");
  const rows = Math.max(1, Math.ceil(panels / columns));
  const gapShare = Math.min(0.2, gap / Math.max(1, plotWidth));
  const share = (1 - gapShare * (columns - 1)) / columns;
  const rowHeight = Math.max(1, (plotHeight - rows * tickBlock - (rows - 1) * titleBlock) / rows);
  const axes = {};
  const titleAt = [];
  for (const name of names) {
    const index = name === "xaxis" ? 1 : Number(name.slice(5));
    const column = (index - 1) % columns;
    const row = Math.floor((index - 1) / columns);
    const x0 = column * (share + gapShare);
    const top = row * (rowHeight + tickBlock + titleBlock);
    const y = [Math.max(0, 1 - (top + rowHeight) / plotHeight), Math.min(1, 1 - top / plotHeight)];
    const yName = index === 1 ? "yaxis" : `yaxis${index}`;
    if (index > panels) {
      axes[name] = { ...layout[name], visible: false };
      axes[yName] = { ...layout[yName], visible: false };
      continue;
    }
    // Never turned: the gap keeps "100%" and the next panel's "0%" apart, and Plotly's own
    // choice to turn them, which it keeps from an earlier drawing (the bars growing, an
    // older size), made a taller tick row than the rows' room allowed for.
    axes[name] = { ...layout[name], domain: [x0, Math.min(1, x0 + share)], tickangle: 0 };
    const yAxis = { ...layout[yName], domain: y, showticklabels: column === 0 };
    if (index === 1) delete yAxis.matches;
    else yAxis.matches = "y"; // every panel lists the same groups in the same order
    axes[yName] = yAxis;
    titleAt[index - 1] = { x: x0 + share / 2, y: y[1] };
  }
  return { axes, titleAt };
}

/** The largest type, from 1.5rem down to the projector's smallest, at which all fits. */
function largestFit(layoutAt, rem, minType) {
  let size = Math.max(minType, Math.round(1.5 * rem));
  let fitted = layoutAt(size);
  while (!fitted.fits && size > minType) {
    size -= 1;
    fitted = layoutAt(size);
  }
  return { ...fitted, size };
}

/** Choice, ranking, points...: one panel of bars per group, laid out for this screen. */
function fitFacets(figure, bars, { width, height, rem, minType, spread }) {
  const layout = figure.layout;
  const columns = Math.max(1, countColumns(layout));
  const xAxes = axisNames(layout, "x");
  const yAxes = axisNames(layout, "y");
  const panelRows = Math.max(1, Math.ceil(yAxes.length / columns));
  const labels = Array.from(new Set(bars.flatMap((t) => (t.y || []).map(String))));
  const rows = Math.max(1, ...yAxes.map((name) => countRows(bars, name)));
  const titleParts = (layout.meta.titles || []).map((lines) => lines.map(String));
  // Words every bar's number starts with ("mean rank 2") are said once, under the axis.
  const texts = bars.flatMap((t) => (Array.isArray(t.text) ? t.text : []).map((x) => String(x ?? "")));
  const prefix = sharedWords(texts.filter(Boolean));
  const shorten = (text) =>
    prefix && String(text).startsWith(prefix) ? String(text).slice(prefix.length) : text;
  const longestText = Math.max(0, ...texts.map((x) => String(shorten(x)).length));
  const axisTitles = new Set(xAxes.map((name) => layout[name]?.title?.text || ""));
  const named = axisTitles.size === 1 ? [...axisTitles][0] : "";
  const axisTitle = prefix
    ? [named, `numbers: ${prefix.trim()}`].filter(Boolean).join(" · ")
    : named;
  const spacing = columns > 1 ? (columns - 1) * 0.03 * width : 0;

  const layoutAt = (px) => {
    const textPx = Math.max(minType, Math.round(px * 0.85));
    const textWidth = longestText ? longestText * 0.58 * spread * textPx + 0.6 * spread * px : 0;
    const titleWidth = (chars) => chars * px * 1.15 * 0.62 * spread;
    // A panel holds its title (on two lines at worst), its bars and their numbers; the
    // option labels get what is left, from a fifth to 45% of the width.
    const titleChars = Math.max(0, ...titleParts.flat().map((line) => line.length));
    const panelMin = Math.max(titleWidth(titleChars) + 0.5 * px, textWidth + 4 * px, 6 * px);
    const room = Math.max(0.2 * width, Math.min(0.45 * width, width - columns * panelMin - spacing));
    const chars = Math.max(8, Math.floor(room / (px * 0.6 * spread)));
    const relabel = new Map(labels.map((label) => [label, wrapWords(plain(label), chars)]));
    const lines = Array.from(relabel.values(), (label) => label.split("<br>"));
    const labelLines = Math.max(1, ...lines.map((l) => l.length));
    const labelWidth = Math.max(0, ...lines.flat().map((line) => line.length)) * px * 0.6 * spread;
    const panelWidth = (width - labelWidth - spacing) / columns;
    const perLine = Math.max(8, Math.floor(panelWidth / (px * 1.15 * 0.62 * spread)));
    const titles = (layout.annotations || []).map((a, i) => {
      const parts = titleParts[i] || [plain(a.text)];
      if (parts.length > 1 && parts.join(" · ").length <= perLine) {
        return `<b>${parts[0]}</b> · ${parts.slice(1).join(" · ")}`;
      }
      return `<b>${parts.map((line) => wrapWords(line, perLine)).join("<br>")}</b>`;
    });
    const titleLines = Math.max(1, ...titles.map((t) => t.split("<br>").length));
    const fixed =
      0.7 * rem + // the margins above and below
      px * 1.5 + // the tick numbers
      (axisTitle ? px * 1.5 : 0) +
      panelRows * titleLines * px * 1.15 * 1.3;
    const perRow = px * (labelLines * 1.2 + 0.45);
    const fits = (height - fixed) / (rows * panelRows) >= perRow;
    return { fits, titles, titleLines, relabel, textPx, textWidth, panelWidth, labelWidth };
  };
  const fitted = largestFit(layoutAt, rem, minType);
  const { relabel, textWidth, panelWidth } = fitted;
  const label = (value) => (relabel.has(String(value)) ? relabel.get(String(value)) : value);

  // Each panel's axis runs far enough that the longest bar's number fits beside it; every
  // number then sits just past its bar, never cut off or squeezed into a short one.
  const axes = {};
  const stacked = layout.barmode === "stack";
  for (const name of xAxes) {
    const ref = name === "xaxis" ? "x" : `x${name.slice(5)}`;
    const totals = new Map();
    for (const trace of bars.filter((t) => (t.xaxis || "x") === ref)) {
      (trace.x || []).forEach((value, i) => {
        const key = (trace.y || [])[i];
        const number = Number(value) || 0;
        const before = totals.get(key) || 0;
        totals.set(key, stacked ? before + number : Math.max(before, number));
      });
    }
    const most = Math.max(0, ...totals.values());
    const share = textWidth && panelWidth > textWidth ? 1 - textWidth / panelWidth : 1;
    const widened = most > 0 && !stacked && textWidth;
    // Ticks up to the longest bar only, few enough to read at this size, never turned.
    const room = Math.max(2, Math.floor((panelWidth * share) / (fitted.size * 2.2)));
    const step = niceStep(most, room);
    const ticks = [];
    for (let tick = 0; step && tick <= most + 1e-9; tick += step) ticks.push(Number(tick.toFixed(6)));
    axes[name] = {
      ...layout[name],
      ...(axisTitle ? { title: { text: "" } } : {}),
      ...(widened ? { range: [0, most / Math.max(0.35, share)], autorange: false } : {}),
      ...(widened && ticks.length > 1
        ? { tickmode: "array", tickvals: ticks, ticktext: ticks.map(String), tickangle: 0 }
        : { tickangle: 0 }),
    };
  }
  for (const name of yAxes) {
    const axis = layout[name];
    if (axis && Array.isArray(axis.categoryarray)) {
      axes[name] = { ...axis, categoryarray: axis.categoryarray.map(label) };
    }
  }
  const traces = figure.data.map((trace) =>
    bars.includes(trace)
      ? {
          y: (trace.y || []).map(label),
          ...(prefix && Array.isArray(trace.text) ? { text: trace.text.map(shorten) } : {}),
          ...(textWidth && !stacked ? { textposition: "outside", cliponaxis: false } : {}),
        }
      : {},
  );
  // Under the panels, on as many lines as their width needs.
  const underChars = Math.floor((width - fitted.labelWidth) / (fitted.size * 0.6 * spread));
  const under = axisTitle ? wrapWords(axisTitle, Math.max(12, underChars)) : "";
  return { ...fitted, axes, traces, axisTitle: under, textSize: fitted.textPx };
}

/** The whole words all `texts` start with ("mean rank "), or "" (needs two or more). */
function sharedWords(texts) {
  if (texts.length < 2) return "";
  let common = texts[0];
  for (const text of texts) {
    while (common && !text.startsWith(common)) common = common.slice(0, -1);
  }
  const cut = common.lastIndexOf(" ");
  const words = cut > 0 ? common.slice(0, cut + 1) : "";
  return /\p{L}{3}/u.test(words) ? words : "";
}

/** A round step (1, 2, 5, 10, 20...) giving at most `most` ticks up to `top`. */
function niceStep(top, most) {
  if (!(top > 0)) return 0;
  const rough = top / most;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-9)));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((c) => c >= rough) || rough;
  return Math.max(step, top <= 10 ? 1 : step); // whole numbers for counts and scores
}

function countRows(bars, yAxisName) {
  const ref = yAxisName === "yaxis" ? "y" : `y${yAxisName.slice(5)}`;
  const rows = new Set();
  for (const trace of bars.filter((t) => (t.yaxis || "y") === ref)) {
    for (const label of trace.y || []) rows.add(label);
  }
  return rows.size;
}

// Break text into lines of about `width` characters, at spaces, joined with <br> (Plotly's
// line break). Shared with screen.js.
export function wrapWords(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join("<br>");
}

function countColumns(layout) {
  // Panels side by side share one row of x axes' domains: count distinct left edges.
  const starts = new Set();
  for (const [name, axis] of Object.entries(layout)) {
    if (/^xaxis\d*$/.test(name) && axis && axis.domain) starts.add(axis.domain[0].toFixed(3));
  }
  return starts.size;
}

// Where sectors agree / split ----------------------------------------------------------------

/**
 * The comment wall ranked by where sectors agree: cards that every voting sector agrees
 * with first (widest first), then those that split sectors, then the rest. Uses the
 * wall's own classes, so screen.js stacks and fits it like the usual wall.
 */
export function consensusWall(comments, { main, limit = 8 }, commentCard) {
  const cards = consensusOrder(comments).slice(0, limit).map((comment) => {
    const card = commentCard(comment);
    const status = comment.consensus ? comment.consensus.status : "too_few";
    card.classList.add(`consensus-${status}`);
    const line = consensusLine(comment.consensus);
    if (line) card.prepend(line);
    return card;
  });
  return h(
    "section",
    { class: `wall consensus-wall${main ? " wall-main" : ""}`, "aria-label": "Where sectors agree and split" },
    h("h2", { class: "consensus-heading" }, "Where sectors agree"),
    h("p", { class: "consensus-summary" }, consensusSummary(comments)),
    comments.length
      ? h("ol", { class: "wall-list" }, cards)
      : h("p", { class: "wall-empty" }, "No comments yet. Write yours on your phone and it appears here."),
  );
}

// The benefit-risk grid's figure, resized for where it is drawn (projector or console).
//
// Plotly sizes markers in pixels, and the server made the figure for one height; here
// the dots are sized again for the cells they sit in, and the type for the page.

export const isGridFigure = (figure) => !!figure && figure.layout?.meta?.chart === "grid";

const isDots = (trace) => trace.type === "scatter" && trace.mode === "markers+text";
const isAverage = (trace) => trace.type === "scatter" && trace.mode === "markers";

/**
 * {data, layout} for a grid figure drawn `height` pixels high (and `width` wide, if known)
 * with type of `fontSize` pixels.
 */
export function fitGridFigure(figure, { height, width = null, fontSize, legend: keep = true }) {
  const layout = { ...figure.layout };
  const size = (layout.xaxis?.tickvals || []).length || 5;
  if (!keep) layout.showlegend = false; // the page explains the dots itself
  const legend = !!layout.showlegend;
  // Room for the axis titles and end words below and left, and the legend on top.
  const plotHeight = height - fontSize * (legend ? 5.5 : 3.4);
  const plotWidth = width ? width - fontSize * 10 : plotHeight;
  const cell = Math.max(10, Math.min(plotHeight, plotWidth) / size);
  const dots = figure.data.filter(isDots);
  const several = dots.length > 1;
  const largest = Math.max(1, ...dots.flatMap((trace) => (trace.text || []).map(Number)));
  const [low, span] = several ? [0.2, 0.25] : [0.3, 0.5];
  const data = figure.data.map((trace) => {
    if (isDots(trace)) {
      const sizes = (trace.text || []).map((count) =>
        Math.round(cell * (low + span * Math.sqrt(Number(count) / largest))),
      );
      return {
        ...trace,
        marker: { ...trace.marker, size: sizes },
        textfont: { ...(trace.textfont || {}), size: Math.round(fontSize * 0.9), color: "#fff" },
      };
    }
    if (isAverage(trace)) {
      return { ...trace, marker: { ...trace.marker, size: Math.round(cell * 0.35) } };
    }
    return trace;
  });
  layout.font = { ...(layout.font || {}), size: fontSize, color: "#0b0d10" };
  layout.legend = { ...(layout.legend || {}), font: { size: fontSize } };
  layout.margin = { l: 10, r: 10, t: legend ? Math.round(fontSize * 2.2) : 10, b: 10 };
  layout.height = height;
  if (width) {
    layout.width = width;
    layout.autosize = false;
  } else {
    delete layout.width;
    layout.autosize = true;
  }
  delete layout.transition;
  return { data, layout };
}

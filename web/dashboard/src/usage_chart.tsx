// One usage chart drawn by uPlot (from npm, bundled into this lazy chunk with
// its stylesheet, so the first visit does not pay for it). uPlot sizes its
// elements through element.style (CSSOM), which the dashboard's CSP
// (style-src 'self') allows; it adds no <style> element or style attribute.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface UsageSeries {
  label: string;
  color: string;
  values: number[];
}

export interface UsageChartProps {
  title: string;
  // Bucket starts, Unix seconds.
  times: number[];
  series: UsageSeries[];
  granularity: "hour" | "day";
}

const HEIGHT = 200;

function tick(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 1) return v.toFixed(1);
  return v === 0 ? "0" : v.toPrecision(2);
}

function options(props: UsageChartProps, width: number): uPlot.Options {
  const n = props.series.length;
  // Bars side by side in each bucket: the first to the left of its time, the
  // last to the right (a single series is centred).
  const align = (i: number): -1 | 0 | 1 => (n === 1 ? 0 : i === 0 ? -1 : 1);
  const bucket = props.granularity === "day" ? 86400 : 3600;
  return {
    width,
    height: HEIGHT,
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: {
        time: true,
        // A bucket of padding on each side so the outer bars are not cut.
        range: (_u, min, max) => [min - bucket / 2, max + bucket / 2],
      },
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [{}, { values: (_u, ticks) => ticks.map(tick), size: 50 }],
    series: [
      { label: props.granularity === "day" ? "day (UTC)" : "hour" },
      ...props.series.map((s, i) => ({
        label: s.label,
        stroke: s.color,
        fill: s.color,
        width: 0,
        points: { show: false },
        value: (_u: uPlot, v: number | null) => (v == null ? "–" : tick(v)),
        paths: uPlot.paths.bars!({ align: align(i), size: [n === 1 ? 0.6 : 0.4, 48] }),
      })),
    ],
  };
}

export function UsageChart(props: UsageChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [props.times, ...props.series.map((s) => s.values)];
    const plot = new uPlot(options(props, Math.max(200, el.clientWidth)), data, el);
    // Follow the box's width (a phone turned, a window resized).
    const observer = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (w !== plot.width) plot.setSize({ width: w, height: HEIGHT });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series, props.granularity]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} class="chart-plot" role="img" aria-label={props.title} />
    </figure>
  );
}

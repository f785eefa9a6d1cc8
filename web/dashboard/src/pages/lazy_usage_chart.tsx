// The usage charts' library (uPlot) is its own chunk: fetched the first time
// the usage page draws a chart.
import { useEffect, useState } from "preact/hooks";
import type { FunctionComponent } from "preact";
import type { UsageChartProps } from "../usage_chart";

let loaded: FunctionComponent<UsageChartProps> | null = null;

export function LazyUsageChart(props: UsageChartProps) {
  const [Chart, setChart] = useState<FunctionComponent<UsageChartProps> | null>(() => loaded);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (Chart) return;
    import("../usage_chart")
      .then((m) => {
        loaded = m.UsageChart;
        setChart(() => m.UsageChart);
      })
      .catch(() => setError("The charts failed to load; reload the page"));
  }, [Chart]);
  if (error) return <p class="error">{error}</p>;
  if (!Chart) return <p class="muted">Loading the chart…</p>;
  return <Chart {...props} />;
}

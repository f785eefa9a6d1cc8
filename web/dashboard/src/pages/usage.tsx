// Usage of the selected project per hour or day: ingest, transcode and egress
// charts (uPlot, loaded lazily) and a CSV download.
import { useMemo, useState } from "preact/hooks";
import * as api from "../api";
import type { Ctx } from "../ctx";
import type { UsageRow } from "../types";
import { ErrorBox, Section, useLoad } from "../ui";
import { LazyUsageChart } from "./lazy_usage_chart";
import type { UsageSeries } from "../usage_chart";

type Granularity = "hour" | "day";

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

// [from, to) as ISO instants: whole UTC days, `to` exclusive (the day after the last one picked).
function range(fromDay: string, toDay: string): { from: string; to: string } {
  const to = new Date(`${toDay}T00:00:00Z`);
  to.setUTCDate(to.getUTCDate() + 1);
  return { from: `${fromDay}T00:00:00Z`, to: to.toISOString().replace(".000Z", "Z") };
}

export function UsagePage({ ctx }: { ctx: Ctx }) {
  const today = new Date();
  const weekAgo = new Date(today.getTime() - 6 * 86400000);
  const [fromDay, setFromDay] = useState(isoDay(weekAgo));
  const [toDay, setToDay] = useState(isoDay(today));
  const [granularity, setGranularity] = useState<Granularity>("hour");
  const [csvError, setCsvError] = useState<string | null>(null);
  const project = ctx.project;
  const { from, to } = range(fromDay, toDay);
  const base = project ? `/api/v1/admin/projects/${api.enc(project.id)}/usage` : "";
  const q = api.query({ from, to, granularity });
  const usage = useLoad(async () => (base ? api.get<UsageRow[]>(base + q) : []), [base, q]);

  const downloadCsv = async (e: Event) => {
    e.preventDefault();
    setCsvError(null);
    try {
      const text = await api.requestText(base + q + "&format=csv", "text/csv");
      const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `usage-${project?.name ?? "project"}-${fromDay}-${toDay}-${granularity}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      setCsvError(api.errorText(err));
    }
  };

  const rows = usage.data ?? [];
  // New arrays only when the rows change, so a chart is redrawn only then.
  const chart = useMemo(() => {
    const times = rows.map((r) => Date.parse(r.start) / 1000);
    const minutes: UsageSeries[] = [
      { label: "ingest (min)", color: "#2f6fde", values: rows.map((r) => r.ingestSeconds / 60) },
      { label: "transcode (min)", color: "#d9822b", values: rows.map((r) => r.transcodeSeconds / 60) },
    ];
    const egress: UsageSeries[] = [{ label: "egress (MB)", color: "#2b9d5c", values: rows.map((r) => r.egressBytes / 1e6) }];
    return { times, minutes, egress };
  }, [usage.data]);
  if (!project) return <p class="muted">Pick a project to see its usage.</p>;
  const totals = rows.reduce(
    (t, r) => ({
      ingest: t.ingest + r.ingestSeconds,
      transcode: t.transcode + r.transcodeSeconds,
      egress: t.egress + r.egressBytes,
      requests: t.requests + r.egressRequests,
    }),
    { ingest: 0, transcode: 0, egress: 0, requests: 0 },
  );

  return (
    <Section
      title={`Usage of ${project.name}`}
      actions={
        <a href={base + q + "&format=csv"} onClick={downloadCsv} data-testid="usage-csv">
          Download CSV
        </a>
      }
    >
      <div class="filters">
        <label>
          From
          <input type="date" value={fromDay} onInput={(e) => setFromDay((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          To
          <input type="date" value={toDay} onInput={(e) => setToDay((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Per
          <select value={granularity} onChange={(e) => setGranularity((e.target as HTMLSelectElement).value as Granularity)}>
            <option value="hour">hour</option>
            <option value="day">day</option>
          </select>
        </label>
      </div>
      <ErrorBox error={usage.error} />
      <ErrorBox error={csvError} />
      <dl class="facts">
        <dt>Ingest</dt>
        <dd data-testid="usage-ingest" data-seconds={totals.ingest}>
          {(totals.ingest / 3600).toFixed(2)} h
        </dd>
        <dt>Transcode</dt>
        <dd>{(totals.transcode / 3600).toFixed(2)} h</dd>
        <dt>Egress</dt>
        <dd>
          {(totals.egress / 1e9).toFixed(3)} GB in {totals.requests} requests
        </dd>
      </dl>
      <div data-testid="usage-chart">
        {rows.length === 0 ? (
          <p class="muted">No usage in this range.</p>
        ) : (
          <>
            <LazyUsageChart
              title="Ingest and transcode (minutes)"
              times={chart.times}
              series={chart.minutes}
              granularity={granularity}
            />
            <LazyUsageChart title="Egress (MB)" times={chart.times} series={chart.egress} granularity={granularity} />
          </>
        )}
      </div>
    </Section>
  );
}

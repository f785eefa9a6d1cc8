// Usage of the selected project per hour or day: ingest, transcode and egress
// charts (uPlot, loaded with this page) and a CSV download.
import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "../api";
import type { Ctx } from "../ctx";
import type { UsageRow } from "../types";
import { ErrorBox, Section, useLoad } from "../ui";

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

  if (!project) return <p class="muted">Pick a project to see its usage.</p>;
  const rows = usage.data ?? [];
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
        <dd>{(totals.ingest / 3600).toFixed(2)} h</dd>
        <dt>Transcode</dt>
        <dd>{(totals.transcode / 3600).toFixed(2)} h</dd>
        <dt>Egress</dt>
        <dd>
          {(totals.egress / 1e9).toFixed(3)} GB in {totals.requests} requests
        </dd>
      </dl>
      <div data-testid="usage-chart">
        <Chart rows={rows} title="Ingest and transcode (minutes)" series={[
          { label: "ingest", value: (r) => r.ingestSeconds / 60, stroke: "#2f6fde" },
          { label: "transcode", value: (r) => r.transcodeSeconds / 60, stroke: "#d9822b" },
        ]} />
        <Chart rows={rows} title="Egress (MB)" series={[{ label: "egress", value: (r) => r.egressBytes / 1e6, stroke: "#2b9d5c" }]} />
      </div>
    </Section>
  );
}

interface SeriesDef {
  label: string;
  value: (r: UsageRow) => number;
  stroke: string;
}

function Chart({ rows, title, series }: { rows: UsageRow[]; title: string; series: SeriesDef[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let disposed = false;
    let plot: { destroy(): void } | null = null;
    let observer: ResizeObserver | null = null;
    void Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")])
      .then(([{ default: UPlot }]) => {
        const el = box.current;
        if (disposed || !el) return;
        const xs = rows.map((r) => Date.parse(r.start) / 1000);
        const data: [number[], ...number[][]] = [xs, ...series.map((s) => rows.map(s.value))];
        const width = () => Math.max(280, el.clientWidth);
        const p = new UPlot(
          {
            title,
            width: width(),
            height: 220,
            series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2 }))],
          },
          data,
          el,
        );
        plot = p;
        observer = new ResizeObserver(() => p.setSize({ width: width(), height: 220 }));
        observer.observe(el);
      })
      .catch(() => setError("The chart failed to load; reload the page"));
    return () => {
      disposed = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [rows, title]);
  return (
    <>
      <div class="chart" ref={box} />
      <ErrorBox error={error} />
    </>
  );
}

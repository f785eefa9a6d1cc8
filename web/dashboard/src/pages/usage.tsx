// Usage of the selected project per hour or day: ingest, transcode and egress
// charts (SVG) and a CSV download.
import { useState } from "preact/hooks";
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
        <Chart
          rows={rows}
          granularity={granularity}
          title="Ingest and transcode (minutes)"
          series={[
            { label: "ingest", value: (r) => r.ingestSeconds / 60, cls: "s-ingest" },
            { label: "transcode", value: (r) => r.transcodeSeconds / 60, cls: "s-transcode" },
          ]}
        />
        <Chart
          rows={rows}
          granularity={granularity}
          title="Egress (MB)"
          series={[{ label: "egress", value: (r) => r.egressBytes / 1e6, cls: "s-egress" }]}
        />
      </div>
    </Section>
  );
}

interface SeriesDef {
  label: string;
  value: (r: UsageRow) => number;
  cls: string;
}

const W = 720;
const H = 180;

function tick(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 1) return v.toFixed(1);
  return v.toPrecision(2);
}

function label(iso: string, granularity: Granularity): string {
  return granularity === "day" ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 13)}h`;
}

// A bar chart in SVG (no chart library: the whole bundle stays small); one
// group of bars per bucket, one bar per series. The bars stretch to the
// box's width; the labels are HTML so they keep their size on a phone.
function Chart({ rows, title, series, granularity }: { rows: UsageRow[]; title: string; series: SeriesDef[]; granularity: Granularity }) {
  const max = Math.max(0, ...rows.flatMap((r) => series.map((s) => s.value(r))));
  const top = max > 0 ? max * 1.1 : 1;
  const slot = rows.length > 0 ? W / rows.length : W;
  const bar = Math.max(0.5, (slot * 0.8) / series.length);
  const y = (v: number) => H - (v / top) * H;
  return (
    <figure class="chart">
      <figcaption>
        {title}
        {series.map((s) => (
          <span key={s.label} class={`legend ${s.cls}`}>
            {s.label}
          </span>
        ))}
      </figcaption>
      <div class="chart-top muted small-text">max {tick(top)}</div>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} preserveAspectRatio="none">
        <line class="grid" x1={0} x2={W} y1={y(top / 2)} y2={y(top / 2)} />
        <line class="grid" x1={0} x2={W} y1={H - 0.5} y2={H - 0.5} />
        {rows.map((r, i) =>
          series.map((s, j) => {
            const v = s.value(r);
            return (
              <rect key={`${i}-${j}`} class={s.cls} x={i * slot + slot * 0.1 + j * bar} y={y(v)} width={bar} height={H - y(v)}>
                <title>{`${label(r.start, granularity)} ${s.label}: ${tick(v)}`}</title>
              </rect>
            );
          }),
        )}
      </svg>
      {rows.length > 0 && (
        <div class="chart-x muted small-text">
          <span>{label(rows[0].start, granularity)}</span>
          <span>{label(rows[rows.length - 1].start, granularity)}</span>
        </div>
      )}
    </figure>
  );
}

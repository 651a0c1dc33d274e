// weft serve's page: polls /stats and plots the live runtime with uPlot.
// After each poll whose figures reached every chart, <body data-updates> counts one more, so that
// a test (or a curious reader) can tell the charts are moving.
"use strict";

(function () {
  const POLL_MS = 500;
  const KEEP = 240; // points per chart: two minutes at two polls a second
  const HEIGHT = 200;
  const COLORS = ["#3b5bdb", "#e8590c", "#2b8a3e", "#ae3ec9", "#1098ad", "#f08c00", "#c2255c", "#5c940d"];

  const status = document.getElementById("status");
  const times = [];
  const charts = {}; // name -> {plot, series: [[...], ...]}
  let previous = null; // the last /stats reading, for rates
  let updates = 0;

  function widthOf(el) {
    return Math.max(280, el.clientWidth);
  }

  // One chart in element #chart-<name> with one line per label.
  function makeChart(name, labels) {
    const el = document.getElementById("chart-" + name);
    const series = labels.map(() => []);
    const opts = {
      width: widthOf(el),
      height: HEIGHT,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.15)] } },
      series: [{}].concat(labels.map((label, i) => ({
        label: label,
        stroke: COLORS[i % COLORS.length],
        width: 2,
        points: { show: false },
      }))),
      axes: [{}, { size: 56 }],
      legend: { show: labels.length > 1 },
    };
    const plot = new uPlot(opts, [times].concat(series), el);
    charts[name] = { plot: plot, series: series, el: el };
  }

  function push(name, values) {
    const c = charts[name];
    values.forEach((v, i) => {
      c.series[i].push(v);
      if (c.series[i].length > KEEP) {
        c.series[i].shift();
      }
    });
  }

  function text(id, value) {
    document.getElementById(id).textContent = value;
  }

  function duration(seconds) {
    const s = Math.floor(seconds);
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }

  function show(stats, now) {
    if (Object.keys(charts).length === 0) {
      makeChart("requests", ["requests/s"]);
      makeChart("tasks", ["tasks live", "actors live"]);
      makeChart("queues", stats.run_queues.map((_, i) => "worker " + i));
      makeChart("connections", ["connections open"]);
      text("version", " (weft " + stats.weft + ")");
    }
    let rate = 0;
    if (previous !== null && now > previous.at) {
      rate = Math.max(0, stats.requests.total - previous.stats.requests.total) / (now - previous.at);
    }
    previous = { stats: stats, at: now };

    times.push(now);
    if (times.length > KEEP) {
      times.shift();
    }
    push("requests", [rate]);
    push("tasks", [stats.tasks.live, stats.actors.live]);
    push("queues", stats.run_queues);
    push("connections", [stats.connections.open]);
    for (const name in charts) {
      charts[name].plot.setData([times].concat(charts[name].series));
    }

    text("fact-backend", stats.backend);
    text("fact-workers", String(stats.workers));
    text("fact-uptime", duration(stats.uptime_seconds));
    text("fact-tasks", String(stats.tasks.live));
    text("fact-actors", String(stats.actors.live));
    text("fact-connections", String(stats.connections.open));
    text("fact-requests", String(stats.requests.total));
  }

  async function poll() {
    const response = await fetch("/stats", { cache: "no-store" });
    if (!response.ok) {
      throw new Error("/stats answered " + response.status);
    }
    const stats = await response.json();
    show(stats, Date.now() / 1000);
    updates++;
    document.body.dataset.updates = String(updates);
    status.textContent = "updated twice a second";
    status.className = "status ok";
  }

  function loop() {
    poll().catch((e) => {
      status.textContent = "cannot reach the server: " + e.message;
      status.className = "status failing";
      console.error("weft serve: polling /stats failed:", e);
    }).finally(() => setTimeout(loop, POLL_MS));
  }

  window.addEventListener("resize", () => {
    for (const name in charts) {
      charts[name].plot.setSize({ width: widthOf(charts[name].el), height: HEIGHT });
    }
  });

  loop();
})();

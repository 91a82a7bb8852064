// The page the timeline benchmark drives: it mounts the dashboard's real StateTimelineChart with a payload handed
// over as a JSON string (as `fetch` would deliver it) and reports the time from that hand-over to the chart's
// first complete drawing, plus one animation frame so the canvas is on screen.
import '../../../dashboard/src/styles/main.css';
import { createApp, h, type App } from 'vue';
import { downsampleIntervals, type LineTimeline } from '@floorboard/shared';
import StateTimelineChart from '../../../dashboard/src/components/charts/StateTimelineChart.vue';

interface RenderResult {
  ms: number;
  /** Of which JSON.parse. */
  parseMs: number;
  drawn: number;
  received: number;
}

let app: App | null = null;

async function render(payload: string, downsample: boolean): Promise<RenderResult> {
  app?.unmount();
  const host = document.getElementById('app')!;
  host.innerHTML = '';
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const started = performance.now();
  const timeline = JSON.parse(payload) as LineTimeline;
  const parseMs = performance.now() - started;
  return new Promise<RenderResult>((resolve) => {
    app = createApp({
      render: () =>
        h(StateTimelineChart, {
          timeline,
          from: Date.parse(timeline.from),
          to: Date.parse(timeline.to),
          downsample,
          onRendered: ({ drawn, received }: { drawn: number; received: number }) =>
            requestAnimationFrame(() => resolve({ ms: performance.now() - started, parseMs, drawn, received })),
        }),
    });
    app.mount(host);
  });
}

/** What the server answers with `?resolutionMs` (the dashboard asks for a 4000-pixel resolution), as JSON. */
function serverResolution(payload: string, pixels: number): string {
  const timeline = JSON.parse(payload) as LineTimeline;
  const resolutionMs = Math.max(1000, Math.floor((Date.parse(timeline.to) - Date.parse(timeline.from)) / pixels));
  const stations = timeline.stations.map((s) => ({ ...s, intervals: downsampleIntervals(s.intervals, resolutionMs) }));
  return JSON.stringify({ ...timeline, stations });
}

Object.assign(window, { benchRender: render, benchServerResolution: serverResolution });
document.body.dataset.ready = 'true';

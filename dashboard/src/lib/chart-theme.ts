import { STATION_STATES, type StationState } from '@floorboard/shared';

/** The colours charts take from the page's CSS variables (`styles/main.css`), so they follow its theme. */
export interface ChartPalette {
  text: string;
  muted: string;
  border: string;
  surface: string;
  accent: string;
  danger: string;
  warning: string;
  states: Record<StationState, string>;
}

/** Used where a variable is not defined (unit tests without the stylesheet). */
const FALLBACK: ChartPalette = {
  text: '#e8ecf1',
  muted: '#9aa4b2',
  border: '#2c333e',
  surface: '#171b22',
  accent: '#5aa9ff',
  danger: '#ef4444',
  warning: '#f2c233',
  states: {
    running: '#2fbf71',
    idle: '#8a94a6',
    starved: '#f2c233',
    blocked: '#4c7dff',
    down: '#ef4444',
    changeover: '#22c3d6',
    maintenance: '#a66cff',
    break: '#64748b',
    offline: '#3b3f46',
  },
};

function cssVariable(element: Element, name: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim();
}

/**
 * Reads the palette from the document: the page variables from the root element, each state's colour from a
 * hidden probe carrying that state's class (the same `.state-*` rules the tiles and chips use).
 */
export function readChartPalette(doc: Document = document): ChartPalette {
  const root = doc.documentElement;
  const read = (name: string, fallback: string) => cssVariable(root, name) || fallback;
  const probe = doc.createElement('span');
  probe.style.display = 'none';
  doc.body.appendChild(probe);
  const states = {} as Record<StationState, string>;
  for (const state of STATION_STATES) {
    probe.className = `state-${state}`;
    states[state] = cssVariable(probe, '--state-color') || FALLBACK.states[state];
  }
  probe.remove();
  return {
    text: read('--text', FALLBACK.text),
    muted: read('--text-muted', FALLBACK.muted),
    border: read('--border', FALLBACK.border),
    surface: read('--surface', FALLBACK.surface),
    accent: read('--accent', FALLBACK.accent),
    danger: read('--danger', FALLBACK.danger),
    warning: read('--warning', FALLBACK.warning),
    states,
  };
}

/** An ECharts theme object from the palette: transparent background, the page's text and grid colours. */
export function chartTheme(palette: ChartPalette): Record<string, unknown> {
  const axis = {
    axisLine: { lineStyle: { color: palette.border } },
    axisTick: { lineStyle: { color: palette.border } },
    axisLabel: { color: palette.muted },
    splitLine: { lineStyle: { color: palette.border } },
    nameTextStyle: { color: palette.muted },
  };
  return {
    backgroundColor: 'transparent',
    textStyle: { color: palette.text },
    color: [palette.accent, palette.warning, palette.states.running, palette.states.maintenance, palette.danger],
    legend: { textStyle: { color: palette.text } },
    tooltip: {
      backgroundColor: palette.surface,
      borderColor: palette.border,
      textStyle: { color: palette.text },
    },
    categoryAxis: axis,
    valueAxis: axis,
    timeAxis: axis,
  };
}

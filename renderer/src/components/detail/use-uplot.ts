import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import uPlot from 'uplot';
import type { Columns } from './chart-math.js';

export interface UPlotSource {
  /** The chart's options but its size; a new value (the theme changed) draws the chart anew. */
  options: () => Omit<uPlot.Options, 'width' | 'height'>;
  data: () => Columns;
  height: number;
  /** The index of the point under the pointer, or null when it leaves. */
  onHover: (index: number | null) => void;
}

/** Where there is no canvas (a test's document), there is no chart: its words stay. */
function canDraw(): boolean {
  return document.createElement('canvas').getContext('2d') !== null;
}

const widthOf = (el: HTMLElement) => Math.max(120, Math.floor(el.clientWidth));

/**
 * A uPlot chart in `host` for the component's life: drawn when mounted, new data set in place (no
 * new chart), drawn anew for new options, as wide as its host (a ResizeObserver follows the card),
 * destroyed when the component goes.
 */
export function useUPlot(host: Readonly<Ref<HTMLElement | null>>, source: UPlotSource): void {
  let chart: uPlot | undefined;
  let resize: ResizeObserver | undefined;

  function draw() {
    chart?.destroy();
    chart = undefined;
    const el = host.value;
    if (!el || !canDraw()) return;
    const options = source.options();
    const hooks: uPlot.Hooks.Arrays = {
      ...options.hooks,
      setCursor: [(u) => source.onHover(u.cursor.idx ?? null)],
    };
    chart = new uPlot(
      { ...options, hooks, width: widthOf(el), height: source.height },
      source.data() as uPlot.AlignedData,
      el,
    );
  }

  onMounted(() => {
    draw();
    if (typeof ResizeObserver === 'undefined' || !host.value) return;
    resize = new ResizeObserver(() => {
      const el = host.value;
      if (chart && el && widthOf(el) !== chart.width)
        chart.setSize({ width: widthOf(el), height: source.height });
    });
    resize.observe(host.value);
  });

  watch(source.data, (data) => chart?.setData(data as uPlot.AlignedData));
  watch(source.options, draw);

  onBeforeUnmount(() => {
    resize?.disconnect();
    chart?.destroy();
    chart = undefined;
  });
}

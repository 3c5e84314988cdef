/**
 * One chart, drawn by Apache ECharts (only the charts and components the dashboard uses are
 * imported, so the rest stays out of the bundle). SVG rendering: crisp at any zoom, and its
 * text is drawn with the page's fonts (Chinese included). The chart follows its box's size;
 * `label` names it for screen readers, and every chart's figures are also in text nearby.
 */

import { BarChart, FunnelChart, HeatmapChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import { type ECElementEvent, type ECharts, init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import type { ChartOption } from "./options";

use([
  BarChart,
  FunnelChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export function Chart({
  option,
  label,
  height = 260,
  onPick,
  testId,
}: {
  option: ChartOption;
  label: string;
  height?: number;
  /** Called with the data index of the item clicked. */
  onPick?: (index: number) => void;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = init(el, null, { renderer: "svg" });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const font = getComputedStyle(document.body).fontFamily;
    chart.current?.setOption({ textStyle: { fontFamily: font }, animation: false, ...option }, { notMerge: true });
  }, [option]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !onPick) return;
    const handler = (e: ECElementEvent) => onPick(e.dataIndex);
    c.on("click", handler);
    return () => {
      c.off("click", handler);
    };
  }, [onPick]);

  return <div ref={box} className="chart" role="img" aria-label={label} data-testid={testId} style={{ height }} />;
}

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

/** A time chart (uPlot): one line per series over the hours given (epoch seconds). */
export function TimeChart({ title, hours, series, unit }: { title: string; hours: number[]; series: Series[]; unit: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const chart = new uPlot(
      {
        title,
        width: Math.max(320, element.clientWidth),
        height: 220,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: hours.length < 60 } }))],
        axes: [{}, { label: unit }],
        scales: { x: { time: true } },
      },
      [hours, ...series.map((s) => s.values)],
      element,
    );
    const resize = (): void => chart.setSize({ width: Math.max(320, element.clientWidth), height: 220 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      chart.destroy();
    };
  }, [title, hours, series, unit]);
  return <div class="chart" ref={box} data-chart={title} />;
}

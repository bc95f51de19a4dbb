/**
 * The report in a real browser: Debian's chromium, headless, driven by
 * playwright-core (no browser download). Where no chromium is installed the
 * browser test does not run and a notice says so; .ci/run installs it.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.ts';

const CHROMIUM = process.env['KSIM_CHROMIUM'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

describe('the HTML report in headless chromium', () => {
  it('says when the browser test cannot run', () => {
    if (!hasChromium) console.warn(`NOTICE: ${CHROMIUM} not found: the report's browser test did not run (apt-get install -y chromium, as .ci/run does)`);
    expect(typeof hasChromium).toBe('boolean');
  });

  it.runIf(hasChromium)('every chart renders with data and the page logs no errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-browser-'));
    const out = join(dir, 'report.html');
    const r = runCli(['run', join(import.meta.dirname, 'lab.yaml'), '--report', out]);
    expect(r.stderr).not.toMatch(/internal error/);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (req) => requests.push(req.url()));
      await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((s) => {
          const box = s.getBoundingClientRect();
          const marks = [...s.querySelectorAll('.mark')].filter((m) => {
            const b = m.getBoundingClientRect();
            return b.width > 0 || b.height > 0;
          });
          return { name: s.getAttribute('data-chart') ?? '', width: box.width, height: box.height, marks: marks.length };
        }),
      );
      expect(charts.map((c) => c.name)).toEqual([
        'pods-by-phase',
        'pending-time',
        'pending-histogram',
        'cpu-allocation',
        'memory-allocation',
        'cpu-usage',
        'memory-usage',
        'scheduling',
        'events',
        'hpa-default/php-apache',
        'evictions',
      ]);
      for (const c of charts) {
        expect(c.width, c.name).toBeGreaterThan(300);
        expect(c.height, c.name).toBeGreaterThan(100);
        expect(c.marks, `${c.name} has visible marks`).toBeGreaterThan(0);
      }
      expect(await page.$$eval('table.figures tr', (rows) => rows.length)).toBeGreaterThan(10);
      expect(await page.$$eval('table.expectations tbody tr', (rows) => rows.length)).toBe(3);
      expect(problems).toEqual([]);
      // Self-contained: nothing but the file itself is loaded.
      expect(requests).toEqual([pathToFileURL(out).href]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

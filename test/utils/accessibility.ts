import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * Accessibility checks of a page open in the browser: an axe-core scan, and a contrast check
 * of the text as the browser renders it (computed colours over the effective background).
 */

/** One axe rule broken on a page, with the elements that break it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  targets: string[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The serious and critical axe-core violations of the page as it is now. The axe source is
 * evaluated through the DevTools protocol, which the page's content security policy does not
 * govern, so the console is scanned under the policy it is served with.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(`
    window.axe.run(document, { resultTypes: ['violations'] }).then((results) =>
      results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        targets: v.nodes.map((node) => node.target.join(' ')),
      })),
    )`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A text's colours as rendered, and whether they are far enough apart. */
export interface ContrastProblem {
  /** A CSS path to the element, e.g. `#main > … > tr:nth-of-type(2) > td > span.badge`. */
  selector: string;
  text: string;
  foreground: string;
  background: string;
  ratio: number;
  required: number;
  fontSize: number;
  fontWeight: number;
}

type Rgba = [number, number, number, number];

/**
 * WCAG 2 contrast arithmetic and a scan of the rendered page, in one function without
 * outside references: the tests call it in Node, and it is evaluated in the page as source.
 */
export function contrastKit() {
  /** `rgb(…)`/`rgba(…)`, as getComputedStyle answers (`#rgb`/`#rrggbb` for tests). */
  function parseColor(css: string): Rgba {
    const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim());
    if (hex !== null) {
      const digits =
        hex[1].length === 3
          ? [...hex[1]].map((d) => d + d)
          : [hex[1].slice(0, 2), hex[1].slice(2, 4), hex[1].slice(4, 6)];
      const [r, g, b] = digits.map((d) => parseInt(d, 16));
      return [r, g, b, 1];
    }
    const parts = /rgba?\(([^)]*)\)/
      .exec(css)?.[1]
      .split(/[\s,/]+/)
      .filter(Boolean);
    if (parts === undefined || parts.length < 3) throw new Error(`unreadable colour: ${css}`);
    const alpha =
      parts[3] === undefined ? 1 : parseFloat(parts[3]) / (parts[3].endsWith('%') ? 100 : 1);
    return [parseFloat(parts[0]), parseFloat(parts[1]), parseFloat(parts[2]), alpha];
  }

  /** `top` painted over the opaque `bottom`. */
  function blend(top: Rgba, bottom: Rgba): Rgba {
    const a = top[3];
    return [
      top[0] * a + bottom[0] * (1 - a),
      top[1] * a + bottom[1] * (1 - a),
      top[2] * a + bottom[2] * (1 - a),
      1,
    ];
  }

  function luminance([r, g, b]: Rgba): number {
    const linear = (channel: number) => {
      const c = channel / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  }

  /** The WCAG contrast ratio of two opaque colours, from 1 to 21. */
  function ratio(a: Rgba, b: Rgba): number {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  }

  /** WCAG "large text": at least 24 px, or at least 18.66 px (14 pt) and bold. */
  function requiredRatio(fontSize: number, fontWeight: number): number {
    return fontSize >= 24 || (fontSize >= 18.66 && fontWeight >= 700) ? 3 : 4.5;
  }

  /**
   * Every visible text below the WCAG AA contrast for its size: an element's own text nodes
   * (every badge, pill and chip too), a field's value or placeholder, generated ::before and
   * ::after content, and SVG text (by its fill). The background is found by walking up the
   * ancestors and blending each translucent layer until an opaque one (the canvas is white).
   */
  function scan(): ContrastProblem[] {
    interface Paint {
      color: string;
      fontSize: string;
      fontWeight: string;
    }
    interface Style extends Paint {
      backgroundColor: string;
      opacity: string;
      visibility: string;
      fill: string;
      content: string;
      display: string;
    }
    interface Node {
      nodeType: number;
      textContent: string | null;
    }
    interface Element extends Node {
      tagName: string;
      id: string;
      classList: Iterable<string>;
      parentElement: Element | null;
      childNodes: Iterable<Node>;
      children: ArrayLike<Element>;
      getClientRects(): ArrayLike<unknown>;
      matches(selector: string): boolean;
      closest(selector: string): Element | null;
      /** Form fields. */
      value?: string;
      placeholder?: string;
      selectedOptions?: ArrayLike<{ text: string }>;
    }
    const page = globalThis as unknown as {
      document: { body: Element; querySelectorAll(selector: string): Iterable<Element> };
      getComputedStyle(element: Element, pseudo?: string): Style;
    };
    const TEXT_NODE = 3;
    const white: Rgba = [255, 255, 255, 1];

    const cssPath = (element: Element): string => {
      const steps: string[] = [];
      for (let at: Element | null = element; at !== null && at.tagName !== 'BODY';) {
        if (at.id !== '') {
          steps.unshift(`#${at.id}`);
          break;
        }
        const parent: Element | null = at.parentElement;
        const classes = [...at.classList].map((c) => `.${c}`).join('');
        const siblings = parent === null ? [] : Array.from(parent.children);
        const sameTag = siblings.filter((s) => s.tagName === at?.tagName);
        const nth = sameTag.length > 1 ? `:nth-of-type(${sameTag.indexOf(at) + 1})` : '';
        steps.unshift(`${at.tagName.toLowerCase()}${classes}${nth}`);
        at = parent;
      }
      return steps.join(' > ');
    };
    const backgroundOf = (element: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let at: Element | null = element; at !== null; at = at.parentElement) {
        const layer = parseColor(page.getComputedStyle(at).backgroundColor);
        if (layer[3] > 0) layers.push(layer);
        if (layer[3] >= 1) break;
      }
      return layers.reduceRight<Rgba>((below, layer) => blend(layer, below), white);
    };
    const opacityOf = (element: Element): number => {
      let opacity = 1;
      for (let at: Element | null = element; at !== null; at = at.parentElement)
        opacity *= parseFloat(page.getComputedStyle(at).opacity);
      return opacity;
    };
    const ownText = (element: Element) =>
      [...element.childNodes]
        .filter((child) => child.nodeType === TEXT_NODE)
        .map((child) => child.textContent ?? '')
        .join('')
        .trim();
    const chips = '.badge, [class*="pill"], [class*="chip"], mark, kbd';
    const fields =
      'input:not([type="checkbox"], [type="radio"], [type="hidden"]), select, textarea';
    const generated = (content: string) => !['none', 'normal', '""', "''"].includes(content);

    /** The texts an element shows: its own, a field's value or placeholder, ::before/::after. */
    const textsOf = (element: Element): Array<{ style: Paint; text: string }> => {
      const style = page.getComputedStyle(element);
      // SVG text is painted with `fill`, not `color` (skipped when a pattern or nothing fills it).
      const inSvg = element.closest('svg') !== null;
      if (inSvg && !style.fill.startsWith('rgb')) return [];
      const painted = inSvg
        ? { color: style.fill, fontSize: style.fontSize, fontWeight: style.fontWeight }
        : style;
      const texts: Array<{ style: Paint; text: string }> = [];
      const own = ownText(element);
      if (own !== '' || element.matches(chips))
        texts.push({ style: painted, text: element.textContent ?? '' });
      if (element.matches(fields)) {
        const value =
          element.tagName === 'SELECT'
            ? (element.selectedOptions?.[0]?.text ?? '')
            : (element.value ?? '');
        if (value !== '') texts.push({ style, text: value });
        else if ((element.placeholder ?? '') !== '')
          texts.push({
            style: page.getComputedStyle(element, '::placeholder'),
            text: element.placeholder ?? '',
          });
      }
      for (const pseudo of ['::before', '::after']) {
        const pseudoStyle = page.getComputedStyle(element, pseudo);
        if (generated(pseudoStyle.content) && pseudoStyle.display !== 'none')
          texts.push({ style: pseudoStyle, text: `${pseudo} ${pseudoStyle.content}` });
      }
      return texts;
    };

    const problems: ContrastProblem[] = [];
    for (const element of page.document.querySelectorAll('body *')) {
      if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION', 'TITLE'].includes(element.tagName)) continue;
      if (element.getClientRects().length === 0) continue;
      if (page.getComputedStyle(element).visibility !== 'visible') continue;
      // Text clipped to a pixel for screen readers only is not seen.
      if (element.closest('.visually-hidden, .cmp-sr-only, .skip-link:not(:focus)') !== null)
        continue;
      // Disabled controls are exempt from the contrast requirement (WCAG 1.4.3).
      if (element.closest(':disabled') !== null) continue;
      const texts = textsOf(element).filter(({ text }) => text.trim() !== '');
      if (texts.length === 0) continue;
      const background = backgroundOf(element);
      const opacity = opacityOf(element);
      for (const { style, text } of texts) {
        const ink = parseColor(style.color);
        const foreground = blend([ink[0], ink[1], ink[2], ink[3] * opacity], background);
        const fontSize = parseFloat(style.fontSize);
        const fontWeight = parseFloat(style.fontWeight);
        const required = requiredRatio(fontSize, fontWeight);
        const measured = ratio(foreground, background);
        if (measured < required)
          problems.push({
            selector: cssPath(element),
            text: text.trim().replace(/\s+/g, ' ').slice(0, 60),
            foreground: style.color,
            background: `rgb(${background
              .slice(0, 3)
              .map((c) => Math.round(c))
              .join(', ')})`,
            ratio: Math.round(measured * 100) / 100,
            required,
            fontSize,
            fontWeight,
          });
      }
    }
    return problems;
  }

  return { parseColor, blend, ratio, requiredRatio, scan };
}

/** Text on the page whose contrast is below WCAG AA (4.5:1, or 3:1 for large text). */
export function contrastProblems(page: Page): Promise<ContrastProblem[]> {
  return page.evaluate<ContrastProblem[]>(`(${contrastKit.toString()})().scan()`);
}

/**
 * Both checks, as one list of readable lines (empty when the page passes): a failing
 * `expect(...).toEqual([])` then names each rule or text, with where it is.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // One after the other: axe's run is asynchronous and must not see the scan midway, nor the
  // reverse.
  const violations = await axeViolations(page);
  const contrast = await contrastProblems(page);
  return [
    ...violations.map(
      (v) => `axe ${v.impact} ${v.id}: ${v.help} (${v.helpUrl}) at ${v.targets.join(' | ')}`,
    ),
    ...contrast.map(
      (c) =>
        `contrast ${c.ratio}:1 < ${c.required}:1 for "${c.text}" (${c.foreground} on ${c.background}, ${c.fontSize}px/${c.fontWeight}) at ${c.selector}`,
    ),
  ];
}

// Knowing whether an XSS vector ran in Chromium. Every vector in the corpus calls `__xss(<id>)` when it runs; the
// trap defines that function (and alert / confirm / prompt / print, which older vectors and the sample site's hostile
// page call) in every frame before any page script, and reports each call to Node through a Playwright binding, so a
// script that ran anywhere (an iframe, a data: document, a srcdoc) is counted. Errors that name the trap, and
// dialogs, are counted too, in case a frame ran script without it.
//
// Vectors that need a reader's hand (a javascript: link, a hover, a focus) are given one: `probeInteractions`
// clicks, hovers and focuses everything in the untrusted part of the page, keeping ordinary links from navigating.
// `auditDom` then reports anything armed that did not fire: handlers, script-capable URLs, a moved base URL,
// frames, forms, styles, and ids or names that could clobber the page's globals.
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface XssExecution {
  /** What the script reported: the vector's id, or `alert(...)` and the like. */
  marker: string;
  /** The frame it ran in. */
  frameUrl: string;
  page: Page | null;
}

export interface XssTraps {
  context: BrowserContext;
  executions: XssExecution[];
  /** Content-Security-Policy violations: the policy stopping something the sanitiser should already have removed. */
  cspViolations: string[];
  /** Uncaught errors in pages: a clobbered global breaking the site's own script shows up here. */
  pageErrors: string[];
}

/** Reports from any frame: defined before the page's own scripts, not writable, so no vector can redefine them. */
function installTrapsInFrame() {
  const report = (marker: unknown) => {
    try {
      (window as unknown as { __xssReport(marker: string): void }).__xssReport(String(marker));
    } catch {
      // A frame the binding never reached still leaves its trace: the error names __xss.
    }
  };
  Object.defineProperty(window, '__xss', { value: report, writable: false, configurable: false });
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    Object.defineProperty(window, name, {
      value: (message: unknown) => report(`${name}(${String(message)})`),
      writable: false,
      configurable: false,
    });
  }
  document.addEventListener('securitypolicyviolation', (event) => {
    (window as unknown as { __cspViolation?(text: string): void }).__cspViolation?.(
      `${event.effectiveDirective} ${event.blockedURI}`,
    );
  });
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/**
 * A fresh browser context with the traps armed, the CSP enforced or bypassed, and nothing but loopback reachable.
 * No service worker: every page is the server's own rendering, not a copy the worker cached on an earlier visit.
 */
export async function trappedContext(browser: Browser, { csp }: { csp: boolean }): Promise<XssTraps> {
  const context = await browser.newContext({
    bypassCSP: !csp,
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 800 },
  });
  const traps: XssTraps = { context, executions: [], cspViolations: [], pageErrors: [] };
  await context.route(
    (url) => /^(https?|wss?):$/.test(url.protocol) && !isLoopback(url),
    (route) => route.abort('blockedbyclient'),
  );
  await context.exposeBinding('__xssReport', ({ frame, page }, marker: string) => {
    traps.executions.push({ marker, frameUrl: frame.url(), page });
  });
  await context.exposeBinding('__cspViolation', (_source, text: string) => {
    traps.cspViolations.push(text);
  });
  await context.addInitScript(installTrapsInFrame);
  context.on('dialog', (dialog) => {
    traps.executions.push({
      marker: `dialog(${dialog.message()})`,
      frameUrl: dialog.page()?.url() ?? '',
      page: dialog.page(),
    });
    void dialog.dismiss().catch(() => {});
  });
  context.on('weberror', (error) => {
    const message = error.error().message;
    if (/__xss/.test(message))
      traps.executions.push({ marker: `error(${message})`, frameUrl: error.page()?.url() ?? '', page: error.page() });
    else traps.pageErrors.push(`${error.page()?.url() ?? ''}: ${message}`);
  });
  return traps;
}

/**
 * Clicks, hovers and focuses every element under `region`, as a curious reader would. Links, forms and buttons
 * keep the page where it is unless they lead to javascript:, which is exactly what must not be there.
 */
export async function probeInteractions(page: Page, region: string): Promise<void> {
  await page.evaluate((selector) => {
    const runsScript = (url: string | null | undefined) => {
      try {
        return !!url && new URL(url, document.baseURI).protocol === 'javascript:';
      } catch {
        return false;
      }
    };
    document.addEventListener(
      'click',
      (event) => {
        const link = (event.target as Element).closest?.('a[href], area[href]') as HTMLAnchorElement | null;
        if (!link || !runsScript(link.getAttribute('href'))) event.preventDefault();
      },
      true,
    );
    document.addEventListener(
      'submit',
      (event) => {
        const form = event.target as HTMLFormElement;
        if (!runsScript(event.submitter?.getAttribute('formaction') ?? form.getAttribute('action')))
          event.preventDefault();
      },
      true,
    );
    for (const element of Array.from(document.querySelectorAll(`${selector}, ${selector} *`))) {
      for (const type of ['pointerover', 'mouseover', 'mouseenter', 'mousedown', 'mouseup', 'dblclick', 'auxclick']) {
        element.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true }));
      }
      (element as HTMLElement).focus?.();
      (element as HTMLElement).click?.();
    }
  }, region);
}

/** Everything armed in the page that should never be: one readable line each; empty when the page is clean. */
export async function auditDom(page: Page, region: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const findings: string[] = [];
    const name = (element: Element) => element.tagName.toLowerCase();
    const SAFE_SCHEMES = ['http:', 'https:', 'mailto:'];
    const URL_ATTRIBUTES = [
      'href',
      'xlink:href',
      'src',
      'srcset',
      'action',
      'formaction',
      'data',
      'poster',
      'background',
      'codebase',
      'dynsrc',
      'lowsrc',
    ];
    const scheme = (url: string) => {
      try {
        return new URL(url, document.baseURI).protocol;
      } catch {
        return 'unparseable:';
      }
    };
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      for (const attribute of Array.from(element.attributes)) {
        const attributeName = attribute.name.toLowerCase();
        if (attributeName.startsWith('on')) findings.push(`${name(element)}[${attributeName}]`);
        if (!URL_ATTRIBUTES.includes(attributeName)) continue;
        const urls =
          attributeName === 'srcset'
            ? attribute.value.split(/,\s+/).map((candidate: string) => candidate.trim().split(/\s+/)[0] ?? '')
            : [attribute.value];
        for (const url of urls)
          if (!SAFE_SCHEMES.includes(scheme(url)))
            findings.push(`${name(element)}[${attributeName}=${url.slice(0, 60)}]`);
      }
    }
    for (const element of Array.from(
      document.body.querySelectorAll('script, iframe, frame, object, embed, base, meta, link, style'),
    ))
      findings.push(`<${name(element)}> in the body`);
    if (document.querySelector('base')) findings.push('<base> in the document');
    if (document.baseURI !== location.href) findings.push(`base URL moved to ${document.baseURI}`);
    if (window.frames.length > 0) findings.push(`${window.frames.length} frame(s)`);
    const UNTRUSTED_FORBIDDEN =
      'svg, math, form, input, button, textarea, select, template, noscript, video, audio, source, picture, applet, isindex, marquee';
    const regions = Array.from(document.querySelectorAll(selector));
    // An audit of nothing would pass: a page without its untrusted part is a finding in itself.
    if (regions.length === 0) findings.push(`no ${selector} on the page`);
    for (const region of regions) {
      for (const element of Array.from(region.querySelectorAll(UNTRUSTED_FORBIDDEN)))
        findings.push(`<${name(element)}> in ${selector}`);
      for (const element of Array.from(region.querySelectorAll('[style], [id], [name]'))) {
        for (const attribute of ['style', 'id', 'name'])
          if (element.hasAttribute(attribute)) findings.push(`${name(element)}[${attribute}] in ${selector}`);
      }
    }
    return findings;
  }, region);
}

export interface RenderOutcome {
  executed: XssExecution[];
  armed: string[];
}

export interface PageRegions {
  /** Where the untrusted content is: audited strictly (no forms, media, styles, ids or names). */
  untrusted: string;
  /** What a reader may poke at: clicked, hovered and focused. */
  interactive: string;
}

/**
 * Opens `url`, audits it, pokes at it and lets it settle: what ran and what lay armed. Several pages of one context
 * may render at once; each outcome holds only its own page's executions.
 */
export async function renderAndDetect(
  traps: XssTraps,
  page: Page,
  url: string,
  regions: PageRegions,
): Promise<RenderOutcome> {
  const before = traps.executions.length;
  await page.goto(url, { waitUntil: 'load' });
  const armed = await auditDom(page, regions.untrusted);
  await probeInteractions(page, regions.interactive);
  // Image errors, javascript: navigations and animation events arrive a moment after the load.
  await page.waitForTimeout(150);
  return { executed: traps.executions.slice(before).filter((execution) => execution.page === page), armed };
}

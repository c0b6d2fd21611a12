import { existsSync } from 'node:fs';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  type Request,
} from 'playwright-core';

/** Debian's Chromium when installed (`CHROMIUM_PATH` overrides); tests never download a browser. */
const SYSTEM_CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without the background-networking switches Chromium keeps dialling out on a closed network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Without a system Chromium, the headless shell that the `@sparticuz/chromium` devDependency
 * ships (unpacked to the OS temp directory on first use), so `npm test` needs Node and Redis
 * only. Its own switch list turns off web security, which the CORS checks here must not have:
 * only the one switch that build needs to start at all is added to ours.
 */
export async function launchChromium(): Promise<Browser> {
  if (existsSync(SYSTEM_CHROMIUM)) {
    return chromium.launch({ executablePath: SYSTEM_CHROMIUM, args: CHROMIUM_ARGS });
  }
  const { default: shipped } = await import('@sparticuz/chromium');
  return chromium.launch({
    executablePath: await shipped.executablePath(),
    args: [...CHROMIUM_ARGS, '--no-zygote'],
  });
}

/** The target exactly as the page hands it to `initialize`. */
export interface BrowserTarget {
  identifier: string;
  name: string;
  anonymous?: boolean;
  attributes: Record<string, unknown>;
}

export interface FlagsPageConfig {
  /** The proxy root, used as both `baseUrl` and `eventUrl`. */
  proxyUrl: string;
  apiKey: string;
  target: BrowserTarget;
  /** The flags the page renders with `variation(flag)`. */
  flags: readonly string[];
}

/** What `flags-page.html` writes into `#status`. */
export interface FlagsPageStatus {
  ready: boolean;
  connected: boolean;
  /** `Date.now()` in the page when `#flags` was last rendered. */
  renderedAt: number;
  /** Flags named by the SDK's `changed` events, in order. */
  changed: string[];
  events: string[];
}

export interface ProxyResponse {
  method: string;
  path: string;
  status: number;
  allowOrigin: string | undefined;
}

/** One browser context on the flags page, with everything that went wrong in it recorded. */
export class FlagsPage {
  /** Console errors and warnings, uncaught page errors, failed requests. */
  readonly problems: string[] = [];
  readonly proxyRequests: Request[] = [];
  readonly proxyResponses: ProxyResponse[] = [];
  /** CORS preflights (`OPTIONS`) sent to the proxy by path; status 0 until answered. */
  readonly preflights = new Map<string, { path: string; status: number }>();

  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly config: FlagsPageConfig,
  ) {
    this.watch();
  }

  static async open(browser: Browser, pageOrigin: string, config: FlagsPageConfig) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const flagsPage = new FlagsPage(context, page, config);
    await flagsPage.watchPreflights();
    await page.goto(`${pageOrigin}/?config=${encodeURIComponent(JSON.stringify(config))}`);
    return flagsPage;
  }

  async status(): Promise<FlagsPageStatus> {
    return JSON.parse(await this.text('#status')) as FlagsPageStatus;
  }

  /** The rendered `variation(flag)` of every configured flag; `{}` before the first render. */
  async flags(): Promise<Record<string, unknown>> {
    const text = await this.text('#flags');
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  /** Requests the page sent to the proxy whose path (without query) is `path`. */
  requestsTo(path: string): Request[] {
    return this.proxyRequests.filter((request) => new URL(request.url()).pathname === path);
  }

  close(): Promise<void> {
    return this.context.close();
  }

  private async text(selector: string): Promise<string> {
    return (await this.page.locator(selector).textContent()) ?? '';
  }

  /** Playwright hides preflights from `page.on('request')`; the DevTools protocol shows them. */
  private async watchPreflights(): Promise<void> {
    const cdp = await this.context.newCDPSession(this.page);
    cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
      if (request.method === 'OPTIONS' && request.url.startsWith(this.config.proxyUrl)) {
        this.preflights.set(requestId, { path: new URL(request.url).pathname, status: 0 });
      }
    });
    cdp.on('Network.responseReceived', ({ requestId, response }) => {
      const preflight = this.preflights.get(requestId);
      if (preflight) {
        preflight.status = response.status;
      }
    });
    await cdp.send('Network.enable');
  }

  private watch(): void {
    const { page } = this;
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        this.problems.push(`console.${message.type()}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => this.problems.push(`pageerror: ${error.message}`));
    page.on('requestfailed', (request) =>
      this.problems.push(
        `requestfailed: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`,
      ),
    );
    page.on('request', (request) => {
      if (request.url().startsWith(this.config.proxyUrl)) {
        this.proxyRequests.push(request);
      }
    });
    page.on('response', (response) => {
      if (response.url().startsWith(this.config.proxyUrl)) {
        this.proxyResponses.push({
          method: response.request().method(),
          path: new URL(response.url()).pathname,
          status: response.status(),
          allowOrigin: response.headers()['access-control-allow-origin'],
        });
      }
    });
  }
}

/** Decodes a `Harness-Target` header: base64 of the target's UTF-8 JSON (docs/sdk-api.md). */
export function decodeTargetHeader(header: string | undefined): unknown {
  return header === undefined ? undefined : JSON.parse(Buffer.from(header, 'base64').toString());
}

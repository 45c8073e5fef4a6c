/**
 * Drives the GraphQL playground (GraphiQL served by the server itself) in headless Chromium.
 *
 * Needs a Chromium binary: Debian's `chromium` package (`/usr/bin/chromium`) or the path in
 * CHROMIUM_PATH. Without one, the whole file is skipped with a warning that says why.
 */
import fs from "node:fs";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, ConsoleMessage, Page, Request, Response } from "playwright-core";
import { EXAMPLE_QUERY } from "../src/http/playground";
import { createTestServer, TestServer } from "./helpers";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Why the browser tests cannot run here, or null when they can. */
function chromiumMissing(): string | null {
  if (!fs.existsSync(CHROMIUM_PATH)) return `Chromium not found at ${CHROMIUM_PATH}`;
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
  } catch {
    return `${CHROMIUM_PATH} is not executable`;
  }
  return null;
}

const SKIP_REASON = chromiumMissing();
if (SKIP_REASON) {
  // Said on the console and in the name of a skipped test, so a run without a browser never
  // passes as if the playground had been checked.
  console.warn(
    `SKIPPED: playground browser tests: ${SKIP_REASON}; install Debian's chromium package ` +
      "(apt-get install -y chromium) or set CHROMIUM_PATH",
  );
  describe("GraphQL playground in a browser", () => {
    it.skip(`is skipped: ${SKIP_REASON} (install chromium or set CHROMIUM_PATH)`, () => undefined);
  });
}
const describeWithChromium = SKIP_REASON ? describe.skip : describe;

const TIMEOUT = 60_000;

/** Selectors of GraphiQL 3.9's DOM. */
const QUERY_EDITOR = ".graphiql-query-editor .CodeMirror";
const RESULT_EDITOR = ".result-window .CodeMirror";
const EXECUTE_BUTTON = "button.graphiql-execute-button";

/**
 * A page-side expression reading a CodeMirror 5 editor's whole text. The DOM only holds the
 * lines in view, so the editor instance is asked instead. (A string, because this project's
 * TypeScript has no DOM typings.)
 */
function editorValue(selector: string): string {
  return `(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    return el && el.CodeMirror ? el.CodeMirror.getValue() : null;
  })()`;
}

interface GraphqlPost {
  operationName?: string | null;
  query?: string;
}

function graphqlPost(request: Request): GraphqlPost | null {
  if (request.method() !== "POST") return null;
  try {
    return request.postDataJSON() as GraphqlPost;
  } catch {
    return null;
  }
}

describeWithChromium("GraphQL playground in a browser", () => {
  let testServer: TestServer;
  let url: string;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every URL the page asked for: from Playwright, and from Chromium's own network log. */
  const requests: string[] = [];
  const failedRequests: string[] = [];
  const errorResponses: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    testServer = await createTestServer();
    url = await testServer.listen();
    origin = new URL(url).origin;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      timeout: TIMEOUT,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    context = await browser.newContext();
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on("request", (request: Request) => requests.push(request.url()));
    // Playwright does not report some browser-initiated requests (e.g. the favicon); the
    // DevTools protocol sees every one.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    cdp.on("Network.requestWillBeSent", (event: { request: { url: string } }) => requests.push(event.request.url));
    page.on("requestfailed", (request: Request) =>
      failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? "failed"}`),
    );
    page.on("response", (response: Response) => {
      if (response.status() >= 400) errorResponses.push(`${response.status()} ${response.url()}`);
    });
    page.on("pageerror", (error: Error) => pageErrors.push(error.message));
    page.on("console", (message: ConsoleMessage) => {
      if (message.type() !== "error") return;
      const source = message.location().url;
      // The page declares no icon, so Chromium asks for /favicon.ico, which the server lacks.
      if (source && new URL(source).pathname === "/favicon.ico") return;
      consoleErrors.push(`${message.text()}${source ? ` (${source})` : ""}`);
    });

    const response = await page.goto(url, { waitUntil: "load", timeout: TIMEOUT });
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-type"]).toMatch(/text\/html/);
  }, TIMEOUT * 2);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await testServer?.close();
  }, TIMEOUT);

  it(
    "renders GraphiQL with the example query pre-filled",
    async () => {
      await page.locator(EXECUTE_BUTTON).waitFor({ state: "visible" });
      await page.locator(QUERY_EDITOR).waitFor({ state: "visible" });
      await expect(page.title()).resolves.toContain("GraphiQL");
      const query = await page.waitForFunction(editorValue(QUERY_EDITOR));
      expect(await query.jsonValue()).toBe(EXAMPLE_QUERY);
    },
    TIMEOUT,
  );

  it(
    "runs the example query in GraphiQL and shows data",
    async () => {
      const sent = page.waitForResponse(
        (response: Response) => graphqlPost(response.request())?.operationName === "WhoSaidWhat",
      );
      await page.locator(EXECUTE_BUTTON).click();
      const response = await sent;
      expect(response.status()).toBe(200);
      const body = (await response.json()) as { data?: unknown; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(body.data).toBeTruthy();

      const shown = await page.waitForFunction(
        `(() => { const text = ${editorValue(RESULT_EDITOR)}; return text && text.includes('"data"') ? text : null; })()`,
      );
      const text = (await shown.jsonValue()) as string;
      expect(text).toContain("Khalifa Haftar");
      expect(text).toContain("Russia");
      expect(text).not.toContain('"errors"');
      // It opens on data, not on empty lists: every person listed has quotes.
      const result = JSON.parse(text) as { data: { people: { totalCount: number; nodes: Array<{ quotes: { nodes: unknown[] } }> } } };
      expect(result.data.people.totalCount).toBeGreaterThan(0);
      expect(result.data.people.nodes.length).toBeGreaterThan(0);
      for (const person of result.data.people.nodes) expect(person.quotes.nodes.length).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    "opens the docs explorer and shows the root query fields",
    async () => {
      await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
      const explorer = page.locator("section.graphiql-doc-explorer");
      await explorer.waitFor({ state: "visible" });
      // The root view lists the root types; the query type's page lists its fields.
      await explorer.locator("a.graphiql-doc-explorer-type-name", { hasText: /^Query$/ }).first().click();
      const fields = explorer.locator(".graphiql-doc-explorer-field-name");
      await fields.first().waitFor({ state: "visible" });
      const names = await fields.allInnerTexts();
      expect(names).toEqual(expect.arrayContaining(["people", "countries"]));
      // The main entry points come first; the grouped counts come last.
      expect(names.slice(0, 3)).toEqual(["person", "people", "search"]);
      expect(names[names.length - 1]).toMatch(/Counts$/);
    },
    TIMEOUT,
  );

  it(
    "makes every request to the server's own origin, so it works without internet",
    async () => {
      // Everything GraphiQL needs must have loaded by now: the tests above rendered, ran and
      // introspected.
      expect(requests.length).toBeGreaterThan(0);
      const foreign = requests.filter((requestUrl: string) => {
        const parsed = new URL(requestUrl);
        // Inline data (e.g. icons in the stylesheet) never leaves the browser.
        if (parsed.protocol === "data:" || parsed.protocol === "blob:") return false;
        return parsed.origin !== origin;
      });
      expect(foreign).toEqual([]);
      expect(requests).toEqual(
        expect.arrayContaining([
          url,
          `${origin}/playground/graphiql.min.js`,
          `${origin}/playground/graphiql.min.css`,
          `${origin}/playground/react.production.min.js`,
          `${origin}/playground/react-dom.production.min.js`,
        ]),
      );
      expect(failedRequests).toEqual([]);
      expect(errorResponses).toEqual([]);
      expect(pageErrors).toEqual([]);
      expect(consoleErrors).toEqual([]);
    },
    TIMEOUT,
  );
});

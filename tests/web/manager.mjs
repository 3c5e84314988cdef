// The managers' web page in Debian's Chromium (playwright-core), against a real
// fieldbook-server: a manager signs in, sees the pipeline (figures given by the caller, to
// the cent) and the forecast chart, opens a stale deal, hands one of a rep's accounts over
// to another rep; a rep of another team signs in (no hand-over offered) and is refused the
// team's report (403). Run by tests/e2e/web.rs, which prepares the server and checks what
// moved; prints one JSON line: {"account": ID, "name": NAME}.
//
// The page is served by the server at `/` when it serves the front-end; otherwise this
// script serves ui/dist itself and forwards `/v1` to the server, so the page and the API
// share one origin as they do in production.

import { createReadStream, existsSync, mkdirSync, statSync } from "node:fs";
import { createServer, request } from "node:http";
import { extname, join } from "node:path";
import { chromium } from "playwright-core";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (tests/e2e/web.rs sets it)`);
  return v;
};
const SERVER = env("FB_SERVER");
const DIST = env("FB_UI_DIST");
const PASSWORD = env("FB_PASSWORD");
const EXPECT = JSON.parse(env("FB_EXPECT"));
const SHOTS = process.env.FB_SCREENSHOTS;
const CHROMIUM = process.env.FB_CHROMIUM ?? "/usr/bin/chromium";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

/** One origin for the page and the API: the server's, or a local one forwarding to it. */
async function origin() {
  const home = await fetch(`${SERVER}/`).catch(() => null);
  if (home?.ok && (await home.text()).includes('id="root"')) return { url: SERVER, close: () => {} };
  const target = new URL(SERVER);
  const front = createServer((req, res) => {
    if (req.url.startsWith("/v1/")) {
      const fwd = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      fwd.on("error", (e) => res.writeHead(502).end(String(e)));
      req.pipe(fwd);
      return;
    }
    const path = join(DIST, req.url.split("?")[0] === "/" ? "index.html" : req.url.split("?")[0]);
    if (!path.startsWith(DIST) || !existsSync(path) || !statSync(path).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    createReadStream(path).pipe(res);
  });
  await new Promise((ok) => front.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${front.address().port}`, close: () => front.close() };
}

/** A decimal string as English formats it in `currency`: `CN¥1,234.50`. */
function money(amount, currency) {
  const [int, frac = ""] = amount.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const symbol = { CNY: "CN¥", USD: "$", EUR: "€" }[currency] ?? `${currency} `;
  return `${symbol}${grouped}.${frac.padEnd(2, "0")}`;
}

function check(ok, what) {
  if (!ok) throw new Error(what);
}

async function signIn(page, url, user) {
  await page.goto(`${url}/#/team`);
  await page.fill("input[name=user]", user);
  await page.fill("input[name=password]", PASSWORD);
  await page.click("form button[type=submit]");
  await page.waitForSelector("[data-testid=web-user]");
}

const front = await origin();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));

  // The manager: the pipeline, to the cent, and the forecast chart.
  await signIn(page, front.url, EXPECT.manager);
  await page.waitForSelector("[data-testid=pipeline-chart] svg");
  await page.waitForSelector("[data-testid=forecast-chart] svg");
  for (const row of EXPECT.pipeline) {
    const text = await page.textContent(`[data-testid=pipeline-rows] li[data-stage=${row.group}]`);
    check(text.includes(`${row.count} deal`), `${row.group}: ${text} lacks ${row.count} deals`);
    const amount = money(row.amount[EXPECT.currency] ?? "0", EXPECT.currency);
    check(text.includes(amount), `${row.group}: ${text} lacks ${amount}`);
  }
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "web.en.1280.png") });
  }

  // A stale deal opens (its facts, from the server's report).
  const deal = EXPECT.staleDeal;
  await page.click(`[data-testid=stale-deals] li[data-id="${deal.id}"] button`);
  const facts = await page.textContent(`[data-testid=stale-deals] li[data-id="${deal.id}"] [data-testid=deal-facts]`);
  if (deal.amount) check(facts.includes(money(deal.amount, deal.currency)), `deal facts: ${facts}`);

  // Hand one of the rep's accounts over to the other rep.
  await page.click("nav a[data-screen=handover]");
  await page.selectOption("select[name=from]", EXPECT.from);
  const box = page.locator("[data-testid=handover-accounts] input[name=account]").first();
  await box.waitFor();
  const account = await box.getAttribute("value");
  const name = (await page.locator("[data-testid=handover-accounts] label.check span").first().textContent()).trim();
  await box.check();
  await page.fill("input[name=to]", EXPECT.to);
  await page.click(".handover form button[type=submit]");
  const confirm = await page.textContent("[data-testid=handover-confirm]");
  check(confirm.includes(`Move to ${EXPECT.to}?`), `confirmation: ${confirm}`);
  check(confirm.includes(`1 account moves from ${EXPECT.from} to ${EXPECT.to}`), `confirmation: ${confirm}`);
  await page.click("[data-testid=handover-confirm-button]");
  await page.waitForSelector(`[data-testid=handover-done]:has-text("to ${EXPECT.to}")`);

  // A rep of another team: their own figures, no hand-over; the team's report refused.
  const rep = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  await signIn(rep, front.url, EXPECT.otherRep);
  await rep.waitForSelector("[data-card=pipeline]");
  check((await rep.locator("nav a[data-screen=handover]").count()) === 0, "a rep is offered the hand-over");
  const headers = { "fieldbook-protocol": "1", "content-type": "application/json" };
  const login = await fetch(`${front.url}/v1/login`, {
    method: "POST",
    headers,
    body: JSON.stringify({ user: EXPECT.otherRep, password: PASSWORD, device_name: "web check" }),
  });
  check(login.ok, `login: ${login.status}`);
  const { token } = await login.json();
  const refused = await fetch(`${front.url}/v1/reports/pipeline?team=${EXPECT.team}`, {
    headers: { ...headers, authorization: `Bearer ${token}` },
  });
  check(refused.status === 403, `another team's report answered ${refused.status}`);

  console.log(JSON.stringify({ account, name }));
} finally {
  await browser.close();
  front.close();
}

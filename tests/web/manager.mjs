// The managers' web page in Debian's Chromium (playwright-core), against a real
// fieldbook-server: a manager signs in, sees the pipeline (figures given by the caller, to
// the cent) and the forecast chart, opens a stale deal, hands one of a rep's accounts over
// to another rep; a rep of another team signs in (no hand-over offered) and is refused the
// team's report (403). Run by tests/e2e/web.rs, which prepares the server and checks what
// moved; prints one JSON line: {"account": ID, "name": NAME}.
//
// The page is the one the server serves at `/` (its built front-end, with its
// Content-Security-Policy); the API is on the same origin.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (tests/e2e/web.rs sets it)`);
  return v;
};
const SERVER = env("FB_SERVER");
const PASSWORD = env("FB_PASSWORD");
const EXPECT = JSON.parse(env("FB_EXPECT"));
const SHOTS = process.env.FB_SCREENSHOTS;
const CHROMIUM = process.env.FB_CHROMIUM ?? "/usr/bin/chromium";

/** The page must come from the server itself, with its security headers. */
async function served() {
  const home = await fetch(`${SERVER}/`);
  const html = await home.text();
  check(home.ok && html.includes('id="root"'), `the server does not serve the web page at / (${home.status})`);
  const csp = home.headers.get("content-security-policy") ?? "";
  check(csp.includes("script-src 'self'"), `the web page has no strict Content-Security-Policy: ${csp}`);
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

await served();

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  // A script error, or anything the Content-Security-Policy refused, fails the check.
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });

  // The manager: the pipeline, to the cent, and the forecast chart.
  await signIn(page, SERVER, EXPECT.manager);
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
  const accounts = await page.textContent("[data-testid=handover-confirm] li[data-kind=account]");
  check(/Accounts\s*1$/.test(accounts.trim()), `confirmation counts ${accounts}, not 1 account`);
  await page.click("[data-testid=handover-confirm-button]");
  await page.waitForSelector(`[data-testid=handover-done]:has-text("to ${EXPECT.to}")`);

  // A rep of another team: their own figures, no hand-over; the team's report refused.
  const rep = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  await signIn(rep, SERVER, EXPECT.otherRep);
  await rep.waitForSelector("[data-card=pipeline]");
  check((await rep.locator("nav a[data-screen=handover]").count()) === 0, "a rep is offered the hand-over");
  const headers = { "fieldbook-protocol": "1", "content-type": "application/json" };
  const login = await fetch(`${SERVER}/v1/login`, {
    method: "POST",
    headers,
    body: JSON.stringify({ user: EXPECT.otherRep, password: PASSWORD, device_name: "web check" }),
  });
  check(login.ok, `login: ${login.status}`);
  const { token } = await login.json();
  const refused = await fetch(`${SERVER}/v1/reports/pipeline?team=${EXPECT.team}`, {
    headers: { ...headers, authorization: `Bearer ${token}` },
  });
  check(refused.status === 403, `another team's report answered ${refused.status}`);

  check(problems.length === 0, problems.join("\n"));
  console.log(JSON.stringify({ account, name }));
} finally {
  await browser.close();
}

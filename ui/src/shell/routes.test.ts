import { describe, expect, it } from "vitest";
import { href, parseHash, recordHref } from "./routes";

const ID = "0190a0a0-0000-7000-8000-000000000001";

describe("routes", () => {
  it("round-trips a screen and a search", () => {
    expect(parseHash(href("accounts"))).toEqual({ screen: "accounts", id: null, query: "" });
    expect(parseHash(href("search", "青岛 acme&co"))).toEqual({ screen: "search", id: null, query: "青岛 acme&co" });
  });

  it("opens a record on its screen", () => {
    expect(parseHash(recordHref("account", ID))).toEqual({ screen: "accounts", id: ID, query: "" });
    expect(parseHash(recordHref("opportunity", ID)).screen).toBe("pipeline");
    expect(parseHash(recordHref("contact", "x", ID))).toEqual({ screen: "accounts", id: ID, query: "" });
    expect(parseHash("#/accounts/not-an-id").id).toBeNull();
  });

  it("opens the screens reached from others (import, duplicates)", () => {
    expect(parseHash(href("import")).screen).toBe("import");
    expect(parseHash("#/duplicates").screen).toBe("duplicates");
  });

  it("opens Today for an empty or unknown place", () => {
    expect(parseHash("").screen).toBe("today");
    expect(parseHash("#/nowhere").screen).toBe("today");
  });
});

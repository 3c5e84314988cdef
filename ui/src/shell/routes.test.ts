import { describe, expect, it } from "vitest";
import { href, parseHash } from "./routes";

describe("routes", () => {
  it("round-trips a screen and a search", () => {
    expect(parseHash(href("accounts"))).toEqual({ screen: "accounts", query: "" });
    expect(parseHash(href("search", "青岛 acme&co"))).toEqual({ screen: "search", query: "青岛 acme&co" });
  });

  it("opens Today for an empty or unknown place", () => {
    expect(parseHash("").screen).toBe("today");
    expect(parseHash("#/nowhere").screen).toBe("today");
  });
});

import { describe, expect, it } from "vitest";
import { moveValues, needsReason } from "./stage";

describe("moving a deal", () => {
  it("writes only the stage for an open or won stage", () => {
    expect(moveValues({ id: "x", stage: "proposal" })).toEqual({ stage: "proposal" });
    expect(needsReason("won")).toBe(false);
  });

  it("carries the loss reason with a move to lost, trimmed, and sends none rather than blanks", () => {
    expect(needsReason("lost")).toBe(true);
    expect(moveValues({ id: "x", stage: "lost", lossReason: "  price  " })).toEqual({
      stage: "lost",
      loss_reason: "price",
    });
    expect(moveValues({ id: "x", stage: "lost", lossReason: "   " })).toEqual({ stage: "lost", loss_reason: null });
  });
});

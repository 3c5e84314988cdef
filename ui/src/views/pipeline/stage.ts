/**
 * Moving a deal to another stage: one update of `stage` through Rust (which sets the
 * probability the stage gives). A move to `lost` carries the loss reason in the same
 * update: Rust refuses a lost deal without one, so the board asks for it first.
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FieldValues } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";

export interface Move {
  id: string;
  stage: string;
  /** Required when `stage` is `lost`. */
  lossReason?: string;
}

/** Whether a move to `stage` needs a loss reason first. */
export function needsReason(stage: string): boolean {
  return stage === "lost";
}

/** The update a move writes. */
export function moveValues(move: Move): FieldValues {
  const values: FieldValues = { stage: move.stage };
  if (needsReason(move.stage)) values.loss_reason = move.lossReason?.trim() || null;
  return values;
}

/** A mutation moving deals; the board and the deal refresh when it lands. */
export function useMoveDeal() {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (move: Move) => api.updateRecord(move.id, moveValues(move)),
    onSuccess: (updated) => {
      queries.setQueryData(queryKeys.record(updated.id), updated);
      void queries.invalidateQueries({ queryKey: ["list", "opportunity"] });
      void queries.invalidateQueries({ queryKey: queryKeys.pipeline });
    },
  });
}

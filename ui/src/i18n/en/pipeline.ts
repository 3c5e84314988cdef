/** English: the pipeline board and a deal's page. */
export const pipeline = {
  "pipeline.hint": "Drag a deal to another stage, or choose its stage in the menu on the card.",
  "pipeline.amount": "Amount",
  "pipeline.weighted": "Weighted",
  "pipeline.more": "Show more",
  "pipeline.dealsIn": "Deals in {stage}",
  "pipeline.moveLabel": "Stage of {deal}",
  "pipeline.lostTitle": "Why was this deal lost?",
  "pipeline.lostPlaceholder": "Price, timing, a competitor…",
  "pipeline.markLost": "Mark as lost",
  "pipeline.dragStart": "Picked up {deal}.",
  "pipeline.dragOver": "{deal} is over {stage}.",
  "pipeline.dragEnd": "{deal} was dropped on {stage}.",
  "pipeline.dragCancel": "Moving {deal} was cancelled.",
  "pipeline.dragHelp": "To move a deal with the keyboard, use the stage menu on its card.",
} as const;

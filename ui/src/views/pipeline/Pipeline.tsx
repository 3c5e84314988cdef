/** The pipeline screen: the board, or one deal (`#/pipeline/ID`). */

import { Board } from "./Board";
import { DealPage } from "./DealPage";

export function Pipeline({ id }: { id: string | null }) {
  return id ? <DealPage key={id} id={id} /> : <Board />;
}

/**
 * The pipeline board: one column per stage (the schema's stages, closed ones too), each
 * with its count, amount and weighted amount as Rust sums them (exact, per currency), and
 * its deals a page at a time (soonest close first). A card moves by dragging it onto
 * another column (dnd-kit, pointer or touch) or, from the keyboard, with its stage menu.
 * Dropping on `lost` asks for the loss reason.
 */

import {
  type Announcements,
  DndContext,
  type DragEndEvent,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { CSS } from "@dnd-kit/utilities";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, type ListCursor, listQuery, type RecordView, type StageSummary } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import { choiceLabel } from "../records/labels";
import { useSchema } from "../records/schema";
import { LossDialog, StageMenu } from "./StageMenu";
import { type Move, needsReason, useMoveDeal } from "./stage";

const PAGE = 30;

function str(r: RecordView, field: string): string | null {
  const v = r.fields[field];
  return typeof v === "string" ? v : null;
}

/** Amounts per currency, each formatted in its own currency. */
function Sums({ sums, label }: { sums: Partial<Record<string, string>>; label: string }) {
  const { fmt } = useI18n();
  const entries = Object.entries(sums).filter((e): e is [string, string] => e[1] !== undefined);
  if (entries.length === 0) return null;
  return (
    <p className="column-sum">
      <span className="muted">{label} </span>
      {entries.map(([currency, amount]) => (
        <span key={currency} className="money">
          {fmt.money(amount, currency)}
        </span>
      ))}
    </p>
  );
}

function Card({
  deal,
  stages,
  onAskReason,
}: {
  deal: RecordView;
  stages: readonly string[];
  onAskReason: (m: Move) => void;
}) {
  const { fmt } = useI18n();
  const { setNodeRef, listeners, transform, isDragging } = useDraggable({ id: deal.id, data: { deal } });
  const amount = str(deal, "amount");
  const currency = str(deal, "currency");
  const close = str(deal, "close_date");
  return (
    <li
      ref={setNodeRef}
      className={isDragging ? "deal-card is-dragging" : "deal-card"}
      style={{ transform: CSS.Translate.toString(transform) }}
      data-id={deal.id}
      {...listeners}
    >
      <a href={recordHref("opportunity", deal.id)} className="deal-title">
        {deal.title}
      </a>
      <span className="deal-meta">
        {amount && currency && <span className="money">{fmt.money(amount, currency)}</span>}
        {close && <span>{fmt.date(close)}</span>}
      </span>
      <StageMenu id={deal.id} title={deal.title} stage={str(deal, "stage")} stages={stages} onAskReason={onAskReason} />
    </li>
  );
}

function Column({
  stage,
  summary,
  stages,
  onAskReason,
}: {
  stage: string;
  summary: StageSummary | undefined;
  stages: readonly string[];
  onAskReason: (m: Move) => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const { setNodeRef, isOver } = useDroppable({ id: stage });
  const q = {
    filters: [{ field: "stage", value: stage }],
    order: { by: "field", field: "close_date", descending: false } as const,
  };
  const pages = useInfiniteQuery({
    queryKey: [...queryKeys.list("opportunity", q), "pages"],
    queryFn: ({ pageParam }) => api.listRecords("opportunity", listQuery({ ...q, limit: PAGE, after: pageParam })),
    initialPageParam: null as ListCursor | null,
    getNextPageParam: (last) => last.next,
  });
  const deals = pages.data?.pages.flatMap((p) => p.records) ?? [];
  const name = choiceLabel(t, "stage", stage);
  return (
    <section
      ref={setNodeRef}
      className={isOver ? "column is-over" : "column"}
      aria-labelledby={`column-${stage}`}
      data-stage={stage}
    >
      <header className="column-head">
        <h2 id={`column-${stage}`}>
          {name}
          <span className="count-badge" data-testid="column-count">
            {summary?.count ?? 0}
          </span>
        </h2>
        <Sums sums={summary?.amount ?? {}} label={t("pipeline.amount")} />
        <Sums sums={summary?.weighted ?? {}} label={t("pipeline.weighted")} />
      </header>
      {pages.isError && (
        <p className="error" role="alert">
          {errorMessage(pages.error)}
        </p>
      )}
      <ul className="cards" aria-label={t("pipeline.dealsIn", { stage: name })}>
        {deals.map((d) => (
          <Card key={d.id} deal={d} stages={stages} onAskReason={onAskReason} />
        ))}
      </ul>
      {pages.hasNextPage && (
        <button
          type="button"
          className="plain small more"
          onClick={() => void pages.fetchNextPage()}
          disabled={pages.isFetchingNextPage}
        >
          {t("pipeline.more")}
        </button>
      )}
    </section>
  );
}

export function Board() {
  const { t } = useI18n();
  const api = useApi();
  const schema = useSchema();
  const board = useQuery({ queryKey: queryKeys.pipeline, queryFn: () => api.pipelineBoard() });
  const move = useMoveDeal();
  const [asking, setAsking] = useState<Move | null>(null);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }));
  const stages = schema?.stages ?? [];

  const titleOf = (data: unknown): string => {
    const deal = (data as { deal?: RecordView } | undefined)?.deal;
    return deal?.title ?? "";
  };
  const stageName = (id: unknown) => choiceLabel(t, "stage", String(id));
  const announcements: Announcements = {
    onDragStart: ({ active }) => t("pipeline.dragStart", { deal: titleOf(active.data.current) }),
    onDragOver: ({ active, over }) =>
      over ? t("pipeline.dragOver", { deal: titleOf(active.data.current), stage: stageName(over.id) }) : undefined,
    onDragEnd: ({ active, over }) =>
      over ? t("pipeline.dragEnd", { deal: titleOf(active.data.current), stage: stageName(over.id) }) : undefined,
    onDragCancel: ({ active }) => t("pipeline.dragCancel", { deal: titleOf(active.data.current) }),
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const deal = (active.data.current as { deal?: RecordView } | undefined)?.deal;
    if (!over || !deal) return;
    const stage = String(over.id);
    if (stage === deal.fields.stage) return;
    if (needsReason(stage)) setAsking({ id: deal.id, stage });
    else move.mutate({ id: deal.id, stage });
  };

  return (
    <section className="pipeline" aria-labelledby="pipeline-title">
      <div className="screen-head">
        <h1 id="pipeline-title">{t("nav.pipeline")}</h1>
      </div>
      <p className="muted pipeline-hint">{t("pipeline.hint")}</p>
      {(board.isError || move.isError) && (
        <p className="error" role="alert">
          {errorMessage(board.error ?? move.error)}
        </p>
      )}
      <DndContext
        sensors={sensors}
        onDragEnd={onDragEnd}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t("pipeline.dragHelp") } }}
      >
        <div className="board">
          {stages.map((stage) => (
            <Column
              key={stage}
              stage={stage}
              summary={board.data?.find((s) => s.stage === stage)}
              stages={stages}
              onAskReason={setAsking}
            />
          ))}
        </div>
      </DndContext>
      <LossDialog pending={asking} onDone={() => setAsking(null)} />
    </section>
  );
}

/**
 * The keyboard way to move a deal (and the one a phone uses): a menu of stages. Choosing
 * `lost` asks for the loss reason first (`LossDialog`); every other stage moves at once.
 */

import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { errorMessage } from "../../api/api";
import { useI18n } from "../../i18n/I18n";
import { choiceLabel } from "../records/labels";
import { type Move, needsReason, useMoveDeal } from "./stage";

/** Asks why a deal was lost, then moves it; Escape or Cancel leaves it where it was. */
export function LossDialog({ pending, onDone }: { pending: Move | null; onDone: () => void }) {
  const { t } = useI18n();
  const move = useMoveDeal();
  const [reason, setReason] = useState("");
  const ref = useRef<HTMLDialogElement>(null);
  const inputId = useId();
  useEffect(() => {
    if (pending && ref.current && !ref.current.open) ref.current.showModal();
  }, [pending]);
  const close = () => {
    setReason("");
    move.reset();
    ref.current?.close();
    onDone();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!pending) return;
    move.mutate({ ...pending, lossReason: reason }, { onSuccess: close });
  };
  return (
    <dialog ref={ref} className="loss-dialog" aria-labelledby={`${inputId}-title`} onCancel={close}>
      <form className="form" onSubmit={submit}>
        <h2 id={`${inputId}-title`}>{t("pipeline.lostTitle")}</h2>
        <label htmlFor={inputId}>
          <span>{t("field.lossReason")}</span>
        </label>
        <input
          id={inputId}
          name="loss_reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t("pipeline.lostPlaceholder")}
          required
        />
        {move.isError && (
          <p className="error" role="alert">
            {errorMessage(move.error)}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="plain" onClick={close}>
            {t("action.cancel")}
          </button>
          <button type="submit" className="primary" disabled={move.isPending}>
            {t("pipeline.markLost")}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Where a deal is, as a menu that moves it. */
export function StageMenu({
  id,
  title,
  stage,
  stages,
  onAskReason,
}: {
  id: string;
  title: string;
  stage: string | null;
  stages: readonly string[];
  onAskReason: (move: Move) => void;
}) {
  const { t } = useI18n();
  const move = useMoveDeal();
  const change = (next: string) => {
    if (next === stage) return;
    if (needsReason(next)) onAskReason({ id, stage: next });
    else move.mutate({ id, stage: next });
  };
  return (
    <>
      <select
        className="stage-menu"
        name="stage"
        value={stage ?? ""}
        disabled={move.isPending}
        onChange={(e) => change(e.target.value)}
        aria-label={t("pipeline.moveLabel", { deal: title })}
      >
        {stage === null && <option value="">{t("value.empty")}</option>}
        {stages.map((s) => (
          <option key={s} value={s}>
            {choiceLabel(t, "stage", s)}
          </option>
        ))}
      </select>
      {move.isError && (
        <p className="error" role="alert">
          {errorMessage(move.error)}
        </p>
      )}
    </>
  );
}

/**
 * One pair reviewed: which record is kept (the older, unless swapped), and for each field
 * the two disagree on, which value the kept one ends with. Merging moves what referred to
 * the other over to the kept one and marks the other merged (both histories stay).
 */

import { useMutation, useQuery } from "@tanstack/react-query";
import { ArrowLeftRight } from "lucide-react";
import { type FormEvent, useState } from "react";
import { type DuplicatePair, errorMessage } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { fieldLabel, text } from "../records/labels";
import { fieldsOf, useSchema } from "../records/schema";
import { choicesOf, differingFields, type Outcome } from "./merge";

export function MergePair({
  pair,
  onClose,
  onMerged,
}: {
  pair: DuplicatePair;
  onClose: () => void;
  onMerged: (summary: string) => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const schema = useSchema();
  const [swapped, setSwapped] = useState(false);
  const [picks, setPicks] = useState<Record<string, Outcome>>({});
  const keepId = swapped ? pair.b : pair.a;
  const otherId = swapped ? pair.a : pair.b;
  const keep = useQuery({ queryKey: queryKeys.record(keepId), queryFn: () => api.getRecord(keepId) });
  const other = useQuery({ queryKey: queryKeys.record(otherId), queryFn: () => api.getRecord(otherId) });
  const kind = keep.data?.kind ?? "account";
  const fields = [...fieldsOf(schema, kind).values()];
  const differing = keep.data && other.data ? differingFields(fields, keep.data, other.data) : [];
  const merge = useMutation({
    mutationFn: () => api.mergeRecords(keepId, otherId, choicesOf(differing, picks)),
    onSuccess: (report) =>
      onMerged(
        t("duplicates.merged", {
          name: keep.data?.title ?? "",
          fields: report.fields.length,
          moved: report.moved.length + report.relinked.length,
        }),
      ),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    merge.mutate();
  };
  const problem = keep.error ?? other.error;

  return (
    <form className="panel merge-pair" onSubmit={submit} aria-labelledby="merge-title" data-testid="merge-pair">
      <h2 id="merge-title">{t("duplicates.mergeTitle")}</h2>
      <div className="merge-sides">
        <p>
          <span className="muted">{t("duplicates.keep")}</span>
          <strong data-testid="merge-keep">{keep.data?.title ?? "…"}</strong>
        </p>
        <button
          type="button"
          className="small"
          onClick={() => {
            setSwapped(!swapped);
            setPicks({});
          }}
        >
          <ArrowLeftRight aria-hidden="true" size={16} />
          {t("duplicates.swap")}
        </button>
        <p>
          <span className="muted">{t("duplicates.other")}</span>
          <strong data-testid="merge-other">{other.data?.title ?? "…"}</strong>
        </p>
      </div>
      {problem && (
        <p className="error" role="alert">
          {errorMessage(problem)}
        </p>
      )}
      {keep.data && other.data && differing.length === 0 && <p className="muted">{t("duplicates.nothingDiffers")}</p>}
      {differing.map((d) => {
        const pick = picks[d.field] ?? d.unasked;
        const options: [Outcome, string][] = [
          ["keep", d.keep === null ? t("duplicates.empty") : text(d.keep)],
          ["other", text(d.other)],
        ];
        if (d.joinable) options.push(["both", t("duplicates.both")]);
        return (
          <fieldset key={d.field} className="merge-field" data-field={d.field}>
            <legend>{fieldLabel(t, kind, d.field)}</legend>
            {options.map(([value, label]) => (
              <label key={value} className="radio">
                <input
                  type="radio"
                  name={`pick-${d.field}`}
                  value={value}
                  checked={pick === value}
                  onChange={() => setPicks({ ...picks, [d.field]: value })}
                />
                <span className="merge-value">{label}</span>
              </label>
            ))}
          </fieldset>
        );
      })}
      {merge.isError && (
        <p className="error" role="alert">
          {errorMessage(merge.error)}
        </p>
      )}
      <p className="muted">{t("duplicates.mergeExplain")}</p>
      <div className="form-actions">
        <button type="button" className="plain" onClick={onClose}>
          {t("action.cancel")}
        </button>
        <button type="submit" className="primary" disabled={merge.isPending || !keep.data || !other.data}>
          {t("duplicates.merge")}
        </button>
      </div>
    </form>
  );
}

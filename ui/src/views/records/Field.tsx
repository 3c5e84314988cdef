/**
 * One field of a record, editable where it is shown: its value (formatted), a click or
 * Enter to edit, Enter to save (Escape to cancel), Rust's message when it refuses. A field
 * holding concurrent values shows both, with who wrote each and when, and settles in one
 * click (`ConflictChoice`).
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { type FormEvent, useId, useState } from "react";
import { errorMessage, type FieldInfo, type FieldValue, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { ConflictChoice } from "./ConflictChoice";
import { currencyOf, formatValue } from "./format";
import { choiceLabel, fieldLabel, text } from "./labels";

/** What a person typed, as the value Rust takes for the field. */
export function typedValue(info: FieldInfo, typed: string): FieldValue | null {
  const t = typed.trim();
  if (t === "") return null;
  switch (info.kind.type) {
    case "tags":
      return t
        .split(/[,，]/)
        .map((s) => s.trim())
        .filter(Boolean);
    case "int":
      return /^-?\d+$/.test(t) ? Number(t) : t;
    case "bool":
      return t === "true";
    default:
      return t;
  }
}

function inputType(info: FieldInfo): string {
  switch (info.kind.type) {
    case "date":
      return "date";
    case "email":
      return "email";
    case "int":
      return "number";
    default:
      return "text";
  }
}

export function Field({ record, info }: { record: RecordView; info: FieldInfo }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const queries = useQueryClient();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const value = record.fields[info.name];
  const label = fieldLabel(t, record.kind, info.name);
  const conflict = record.conflicts.find((c) => c.field === info.name);
  const save = useMutation({
    mutationFn: (v: FieldValue | null) => api.updateRecord(record.id, { [info.name]: v }),
    onSuccess: (updated) => {
      queries.setQueryData(queryKeys.record(record.id), updated);
      setEditing(false);
    },
  });

  const start = () => {
    save.reset();
    setDraft(text(value));
    setEditing(true);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(typedValue(info, draft));
  };
  const shown = formatValue(i18n, info.name, info.kind, value, currencyOf(record));

  return (
    <div className={conflict ? "field has-conflict" : "field"} data-field={info.name}>
      <dt id={`${id}-label`}>{label}</dt>
      <dd>
        {editing ? (
          <form onSubmit={submit} className="field-form">
            {info.kind.type === "enum" ? (
              <select
                aria-labelledby={`${id}-label`}
                value={draft}
                // biome-ignore lint/a11y/noAutofocus: the field was opened to be edited
                autoFocus
                onChange={(e) => setDraft(e.target.value)}
                onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
              >
                <option value="">—</option>
                {info.kind.values.map((v) => (
                  <option key={v} value={v}>
                    {choiceLabel(t, info.name, v)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                aria-labelledby={`${id}-label`}
                type={inputType(info)}
                value={draft}
                // biome-ignore lint/a11y/noAutofocus: the field was opened to be edited
                autoFocus
                onChange={(e) => setDraft(e.target.value)}
                onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
                name={info.name}
              />
            )}
            <button type="submit" className="primary small" disabled={save.isPending}>
              {t("action.save")}
            </button>
            <button type="button" className="plain small" onClick={() => setEditing(false)}>
              {t("action.cancel")}
            </button>
            {save.isError && (
              <p className="error" role="alert">
                {errorMessage(save.error)}
              </p>
            )}
          </form>
        ) : (
          <button
            type="button"
            className="field-value"
            onClick={start}
            disabled={!info.editable}
            aria-label={t("field.editLabel", { field: label })}
            aria-describedby={conflict ? `${id}-conflict` : undefined}
          >
            <span className={shown ? "" : "muted"}>{shown || t("value.empty")}</span>
            {info.editable && <Pencil aria-hidden="true" size={14} className="field-pencil" />}
          </button>
        )}
        {conflict && <ConflictChoice id={`${id}-conflict`} record={record} info={info} conflict={conflict} />}
      </dd>
    </div>
  );
}

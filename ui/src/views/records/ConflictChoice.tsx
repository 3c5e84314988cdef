/**
 * A field two people changed at once: both values, who wrote each and when, and the one
 * shown until it is settled; one click keeps a value (the settling merges like any edit).
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import { type Conflict, errorMessage, type FieldInfo, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { currencyOf, formatValue } from "./format";
import { text } from "./labels";

export function ConflictChoice({
  id,
  record,
  info,
  conflict,
}: {
  id: string;
  record: RecordView;
  info: FieldInfo;
  conflict: Conflict;
}) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const api = useApi();
  const queries = useQueryClient();
  const settle = useMutation({
    mutationFn: (index: number) =>
      api.resolveConflict(record.id, conflict.field, conflict.values[index]?.value ?? null),
    onSuccess: (updated) => queries.setQueryData(queryKeys.record(record.id), updated),
  });
  return (
    <section className="conflict" id={id} aria-label={t("conflict.label")} data-conflict={conflict.field}>
      <p className="conflict-title">
        <TriangleAlert aria-hidden="true" size={16} />
        {t("conflict.title")}
      </p>
      <ul>
        {conflict.values.map((v, i) => {
          const shown = formatValue(i18n, info.name, info.kind, v.value, currencyOf(record)) || t("value.empty");
          return (
            <li key={`${v.by}-${v.at}-${text(v.value)}`}>
              <span className="conflict-value">{shown}</span>
              <span className="conflict-who">
                {t("conflict.by", { user: v.by, when: v.at ? fmt.dateTime(v.at) : "" })}
                {v.shown && <span className="conflict-shown"> · {t("conflict.shown")}</span>}
              </span>
              <button
                type="button"
                className="small"
                disabled={settle.isPending}
                onClick={() => settle.mutate(i)}
                aria-label={t("conflict.keepLabel", { value: shown })}
              >
                {t("conflict.keep")}
              </button>
            </li>
          );
        })}
      </ul>
      {settle.isError && (
        <p className="error" role="alert">
          {errorMessage(settle.error)}
        </p>
      )}
    </section>
  );
}

/**
 * What an import found (the check, nothing written) or did: the counts, the likely
 * duplicates (with the held record, or another line of the file) and the refused rows with
 * Rust's reason for each. Long lists show their first part; the counts are whole.
 */

import type { ImportSummary, LikelyDuplicate } from "../../api/api";
import { useI18n } from "../../i18n/I18n";
import { reasonText, scoreText } from "../duplicates/reasons";

function Duplicate({ d }: { d: LikelyDuplicate }) {
  const i18n = useI18n();
  const { t } = i18n;
  const other =
    d.other_line === null
      ? t("import.likeHeld", { name: d.other_name })
      : t("import.likeLine", { name: d.other_name, line: d.other_line });
  return (
    <li className="row" data-line={d.line}>
      <span className="row-title">
        {t("import.line", { line: d.line })} {d.name} · {other}
      </span>
      <span className="row-meta">
        <span className="chip">{scoreText(i18n, d.score)}</span>
        {d.reasons.map((r) => (
          <span key={r.reason}>{reasonText(i18n, r)}</span>
        ))}
      </span>
    </li>
  );
}

export function Summary({ summary }: { summary: ImportSummary }) {
  const { t, fmt } = useI18n();
  const counts: [string, number, string][] = [
    [t("import.rows"), summary.rows, "rows"],
    [t("import.valid"), summary.valid, "valid"],
    [t("import.refused"), summary.rejectedCount, "refused"],
    [t("import.duplicates"), summary.duplicatesFound, "duplicates"],
  ];
  if (!summary.dryRun) counts.push([t("import.written"), summary.imported, "imported"]);
  return (
    <>
      <dl className="import-counts">
        {counts.map(([term, n, id]) => (
          <div key={id} data-count={id}>
            <dt>{term}</dt>
            <dd>{fmt.count(n)}</dd>
          </div>
        ))}
      </dl>
      {summary.duplicates.length > 0 && (
        <section aria-labelledby="import-dups-title">
          <h3 id="import-dups-title">{t("import.duplicatesTitle")}</h3>
          <ul className="list" data-testid="import-duplicates">
            {summary.duplicates.map((d) => (
              <Duplicate key={`${d.line} ${d.other_id}`} d={d} />
            ))}
          </ul>
          {summary.duplicatesFound > summary.duplicates.length && (
            <p className="muted">
              {t("import.moreListed", { count: summary.duplicatesFound - summary.duplicates.length })}
            </p>
          )}
        </section>
      )}
      {summary.rejected.length > 0 && (
        <section aria-labelledby="import-refused-title">
          <h3 id="import-refused-title">{t("import.refusedTitle")}</h3>
          <ul className="list" data-testid="import-refused">
            {summary.rejected.map((r) => (
              <li key={r.line} className="row" data-line={r.line}>
                <span className="row-title">{t("import.line", { line: r.line })}</span>
                <span className="refused-reason">{r.reason}</span>
              </li>
            ))}
          </ul>
          {summary.rejectedCount > summary.rejected.length && (
            <p className="muted">
              {t("import.moreListed", { count: summary.rejectedCount - summary.rejected.length })}
            </p>
          )}
        </section>
      )}
    </>
  );
}
